// `idmscope bench`: benchmarks that print figures against a same-run baseline.
#include "cli_args.hpp"
#include "commands.hpp"

namespace idm::cli {
int run_bench(int, char**) { throw UsageError{"not built yet"}; }
}  // namespace idm::cli
