#pragma once
// Each subcommand: returns the process exit code; throws cli::UsageError for bad arguments.
namespace idm::cli {
int run_score(int argc, char** argv);
int run_check(int argc, char** argv);
int run_bench(int argc, char** argv);
int run_bench_video(int argc, char** argv);
int run_bench_open(int argc, char** argv);
int run_view(int argc, char** argv, int first_option);
int run_summary(int argc, char** argv);
int run_probe(int argc, char** argv);
int run_frames(int argc, char** argv);
int run_synth(int argc, char** argv);
int run_keys(int argc, char** argv);
int run_export(int argc, char** argv);
int run_edit(int argc, char** argv);
int run_infer(int argc, char** argv);
int run_bench_infer(int argc, char** argv);
int run_rsv(int argc, char** argv);
}  // namespace idm::cli
