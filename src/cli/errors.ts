/** Why a command failed while running (exit status 1), said in one line without a stack trace. */
export class CommandFailed extends Error {}
