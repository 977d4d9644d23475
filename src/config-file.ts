// The config file's name, apart from config.ts: the rules that name it are in every hook's
// bundle, and importing config.ts would build its zod schema on every hook start.
export const CONFIG_FILE = 'agent-sessions.config.json';
