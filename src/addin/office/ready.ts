/**
 * Where the page is running, once Office.js has had its chance to start: inside Outlook, inside
 * another Office application, or outside Office (Office.js missing, blocked or never ready).
 * Office.onReady never fires when office.js fails to load, so waiting is bounded.
 */
export type OfficeContext = 'outlook' | 'other-office' | 'outside-office';

export function whenOfficeReady(timeoutMs: number): Promise<OfficeContext> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') {
    return Promise.resolve('outside-office');
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('outside-office'), timeoutMs);
    void Office.onReady((info) => {
      clearTimeout(timer);
      if (info.host === Office.HostType.Outlook) resolve('outlook');
      else resolve(info.host ? 'other-office' : 'outside-office');
    });
  });
}
