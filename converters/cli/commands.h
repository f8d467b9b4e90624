// cli/commands.h — the `casefhir` command: argument parsing, the exit-code table, and the
// subcommands. The library never prints or exits; only this layer does.
#pragma once

#include <string>
#include <vector>

#include "casefhir/errors.h"

namespace casefhir::cli {

// The one table of exit codes (README "Exit codes").
enum ExitCode : int {
  kConverted = 0,        // every input converted; an evaluation met its floors
  kInputFailed = 1,      // the input could not be converted (or read, or the output written)
  kUsage = 2,            // bad command line, or a mapping file that does not load
  kSomeFailed = 3,       // some inputs failed, the rest went through (`batch`, `convert --ndjson`: each has its error record; `push`: Bundles or entries the server rejected)
  kBelowFloor = 4,       // `eval --fail-under`: a metric fell below its floor
  kNotCaseReport = 5,    // a journal article (or some of a collection's) is not a case report: no Bundle for it
};

int exit_code_for(ErrorKind kind);

// Runs the command line; returns the exit code. Messages go to stderr, results to stdout.
int run(int argc, char** argv);

}  // namespace casefhir::cli
