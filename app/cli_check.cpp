// `idmscope check`: dataset integrity report.
#include "cli_args.hpp"
#include "commands.hpp"

namespace idm::cli {
int run_check(int, char**) { throw UsageError{"not built yet"}; }
int run_summary(int, char**) { throw UsageError{"not built yet"}; }
}  // namespace idm::cli
