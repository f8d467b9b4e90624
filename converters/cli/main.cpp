#include "cli/commands.h"

int main(int argc, char** argv) { return casefhir::cli::run(argc, argv); }
