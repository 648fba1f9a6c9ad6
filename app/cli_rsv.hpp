#pragma once
// Shared by the `rsv` subcommands and `bench rsv`: options, progress, table loading.
#include <functional>
#include <optional>
#include <string>

#include "cli_args.hpp"
#include "rsv/kinematics.hpp"
#include "rsv/release.hpp"

namespace idm::cli {

// --table FILE, or the shipped assets/rsv/conventions.json. Throws UsageError when unreadable.
rsv::Conventions load_table_option(Args& args);
// A progress printer for stderr when it is a terminal (nothing otherwise); "\r" updates.
std::function<void(const char*, int, int)> terminal_progress();
void end_progress_line();
// Scans DIR as a release; on failure prints "COMMAND: why" on stderr and returns false.
bool load_release(const std::string& dir, rsv::Release& release, const char* command = "idmscope rsv");

int run_rsv_summary(int argc, char** argv);
int run_rsv_check(int argc, char** argv);
int run_rsv_conventions(int argc, char** argv);
int run_rsv_import(int argc, char** argv);
int run_rsv_eval(int argc, char** argv);
int run_rsv_rollout(int argc, char** argv);
int run_rsv_score(int argc, char** argv);
int run_rsv_predict(int argc, char** argv);
int run_synth_rsv(int argc, char** argv);
int run_bench_rsv(int argc, char** argv);
int run_bench_rollout(int argc, char** argv);
int run_bench_rollout_model(int argc, char** argv);

}  // namespace idm::cli
