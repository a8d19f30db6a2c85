import path from "node:path";

/**
 * A file named on an operator command's line (`npm run setup -- structure.json`,
 * `npm run db:backup -- sauvegarde.dump`), read relative to the directory the operator typed it
 * in: npm runs its scripts from the project's root but says where it was called from in INIT_CWD.
 * Run directly (`node dist/server/setup.js …`), the current directory.
 */
export function commandFile(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD || process.cwd(), file);
}
