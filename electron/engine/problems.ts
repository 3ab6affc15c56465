// How a part below the engine tells about a failure the user should know of (sessions not
// saved, a refresh refused, the identity provider's store not written) without writing to
// stderr itself: the engine injects one reporter that logs the line once and emits an `error`
// event the console and the desktop show (docs/architecture.md, "One logger").

/** `scope` names the part ("sessions", "builtinIdp"); `message` is one sentence for the user. */
export type ReportProblem = (scope: string, message: string) => void;

/** For parts used on their own (tests, tools) where nobody listens. */
export const ignoreProblems: ReportProblem = () => {};
