// vitest setup file: the processes the tests start (the CLI, git, and through git the hooks)
// start without NODE_EXTRA_CA_CERTS. None of them opens TLS, and Node reads the whole bundle
// as it starts: on machines that set it (CI's does, to the system bundle), 35-40 ms of CPU for
// each of the suite's thousands of Node starts. npm, which does reach the registry, gets it
// back through npmEnv(). Tests that are about the variable set it themselves.
const saved = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;

/** The environment for an `npm` child: the suite's, with NODE_EXTRA_CA_CERTS as the run had it. */
export function npmEnv(): NodeJS.ProcessEnv {
  return saved === undefined ? { ...process.env } : { ...process.env, NODE_EXTRA_CA_CERTS: saved };
}
