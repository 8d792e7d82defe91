/**
 * Registers a UI-less ribbon command (ExecuteFunction in the manifest). Outlook waits for
 * event.completed(); it is called whatever the handler does, or the ribbon button would spin.
 */
export function registerFunctionCommand(name: string, handler: () => Promise<void>): void {
  // Without office.js (blocked, or the page opened outside Outlook) there is nothing to register.
  if (typeof Office === 'undefined') return;
  void Office.onReady(() => {
    Office.actions.associate(name, (event: Office.AddinCommands.Event) => {
      handler().finally(() => event.completed());
    });
  });
}
