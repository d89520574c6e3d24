// Loaded by the API reference before Scalar's bundle. Its validation library (Zod) probes whether it may compile code
// with Function(); the studio's Content-Security-Policy forbids that, and the probe alone is reported as a violation.
// Jitless mode skips the probe and validates the same way, only without generated code.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true });
