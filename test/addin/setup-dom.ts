/**
 * What jsdom lacks and browsers have: the User Timing API (the pane marks when the verdict
 * shows), matchMedia (theme preference) and ResizeObserver (Fluent UI's MessageBar reflow).
 */
const marks: { name: string; startTime: number }[] = [];
Object.assign(performance, {
  mark: (name: string) => marks.push({ name, startTime: performance.now() }),
  getEntriesByName: (name: string) => marks.filter((mark) => mark.name === name),
});

if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

if (!('ResizeObserver' in window)) {
  Object.assign(window, {
    ResizeObserver: class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  });
}

// jest's jsdom environment hides Node's Encoding API, which every browser has.
if (typeof globalThis.TextDecoder === 'undefined') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TextDecoder, TextEncoder } = require('node:util') as typeof import('node:util');
  Object.assign(globalThis, { TextDecoder, TextEncoder });
}

// jsdom's Blob has no arrayBuffer() (every browser the add-in runs in has it).
if (!Blob.prototype.arrayBuffer) {
  Blob.prototype.arrayBuffer = function arrayBuffer(this: Blob) {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(this);
    });
  };
}
