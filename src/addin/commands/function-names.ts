/** Function names the manifest's ExecuteFunction buttons call; the manifest tests check both. */
export const FUNCTION_COMMANDS = { quickVerdict: 'showQuickVerdict' } as const;
