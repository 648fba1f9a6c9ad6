// Crash test: a child process edits and saves in a loop and is killed with SIGKILL at random
// moments, 1,000 times. Every save writes generation g into both files (labels 0..7 hold g in
// base 4, the detail edit of item 7 holds "G<g>"). After every kill, once the next editor open
// has run its recovery, both files must parse and hold the same generation, equal to the last
// save the child finished or the one it was in; nothing else in the files may change. Before that
// recovery, the dataset loader (score, check) must already see that same pair, writing nothing.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "edit_fixture.hpp"
#include "dataset/dataset.hpp"

using namespace idm;
using namespace idm::edit;
using namespace idm::test;

namespace {

constexpr int kKills = 1000;
constexpr int kLabelDigits = 8;  // 4^8 generations before the label code wraps

int64_t labels_generation(const ClipSideState& state) {
  int64_t generation = 0;
  for (int digit = kLabelDigits - 1; digit >= 0; --digit) {
    std::optional<Visibility> label = label_of(state, 8, digit);
    generation = generation * 4 + (label ? static_cast<int>(*label) : 0);
  }
  return generation;
}

int64_t overrides_generation(const ClipSideState& state) {
  for (const EditEntry& edit : parsed_overrides(state).edits) {
    if (edit.key.index == 7 && edit.detail.starts_with("G")) return std::stoll(edit.detail.substr(1));
  }
  return 0;
}

// Puts generation g into the document: labels 0..7 = g in base 4, detail of item 7 = "G<g>".
bool set_generation(ClipDocument& document, int64_t generation) {
  std::string error;
  int64_t code = generation;
  for (int digit = 0; digit < kLabelDigits; ++digit, code /= 4) {
    document.set_label(digit, static_cast<Visibility>(code % 4), error);  // "already that" is fine
  }
  return document.edit_detail(7, "G" + std::to_string(generation), error);
}

// The child: save generation after generation until killed; reports each finished one.
[[noreturn]] void run_saving_child(const std::filesystem::path& folder, int64_t generation, int report_fd) {
  ClipDocument document;
  std::string error, message;
  if (!document.open(folder, kClip, fixture_canonical(), error)) _exit(3);
  for (int round = 0; round < 100000; ++round) {
    ++generation;
    if (!set_generation(document, generation)) _exit(4);
    if (document.save(message) != SaveOutcome::Saved) _exit(5);
    if (::write(report_fd, &generation, sizeof generation) != sizeof generation) _exit(6);
  }
  _exit(0);
}

}  // namespace

TEST_CASE("edit crash: 1,000 SIGKILLs during saves never leave a mixed or truncated pair") {
  EditTempDir dir;
  write_fixture(dir);
  std::mt19937_64 random(7);
  int64_t generation = 0;
  {  // generation 0 in both files before the first kill
    ClipDocument document;
    std::string error, message;
    REQUIRE_MESSAGE(document.open(dir.path(), kClip, fixture_canonical(), error), error);
    REQUIRE(set_generation(document, 0));
    REQUIRE(document.save(message) == SaveOutcome::Saved);
  }
  // Kill within a few saves' time of the child starting, whatever the disk's fsync costs.
  int64_t save_us = 0;
  {
    ClipDocument document;
    std::string error, message;
    REQUIRE(document.open(dir.path(), kClip, fixture_canonical(), error));
    auto before = std::chrono::steady_clock::now();
    for (int round = 1; round <= 5; ++round) {
      REQUIRE(set_generation(document, round));
      REQUIRE(document.save(message) == SaveOutcome::Saved);
    }
    generation = 5;
    save_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - before).count() / 5;
  }
  const int64_t max_delay_us = std::clamp<int64_t>(10 * save_us + 3000, 3000, 400000);
  int rolled_forward = 0, temps_removed = 0, mixed_before_recovery = 0, killed_mid_save = 0, loader_saw_unfinished = 0;
  int64_t total_saves = 0;
  auto started = std::chrono::steady_clock::now();
  for (int kill = 0; kill < kKills; ++kill) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::close(pipe_fds[0]);
      run_saving_child(dir.path(), generation, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(random() % static_cast<uint64_t>(max_delay_us))));
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE_MESSAGE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL), "the child stopped by itself: status " << status);
    int64_t reported = generation, value = 0;
    while (::read(pipe_fds[0], &value, sizeof value) == sizeof value) reported = value;
    ::close(pipe_fds[0]);
    total_saves += reported - generation;

    // Each file alone is always whole (rename is atomic), whatever the moment of the kill.
    Json annotations = read_json_file(dir.path() / "annotations.json");
    Json overrides = read_json_file(dir.path() / "gt_overrides.json");
    ClipSideState raw = clip_entries(annotations, overrides, kClip);
    if (labels_generation(raw) != overrides_generation(raw) % (1 << (2 * kLabelDigits))) ++mixed_before_recovery;

    // A read-only reader sees the decided pair already, and leaves the folder as it is.
    auto folder_before = folder_contents(dir.path());
    Dataset dataset;
    std::string load_error;
    REQUIRE_MESSAGE(load_dataset(dir.path(), DatasetLoadOptions{false}, dataset, load_error), load_error);
    REQUIRE(folder_contents(dir.path()) == folder_before);
    REQUIRE_MESSAGE(dataset.side_file_errors.empty(), (dataset.side_file_errors.empty() ? "" : dataset.side_file_errors[0]));
    ClipSideState loaded = clip_entries(dataset.annotations.raw, dataset.overrides.raw, kClip);
    REQUIRE_MESSAGE(labels_generation(loaded) == overrides_generation(loaded) % (1 << (2 * kLabelDigits)), "kill " << kill << ": the loader saw a mixed pair");
    loader_saw_unfinished += !dataset.side_file_notes.empty();

    std::string note, error;
    REQUIRE_MESSAGE(recover_side_files(dir.path(), note, error), error);
    rolled_forward += note.starts_with("finished");
    temps_removed += note.find("removed") != std::string::npos;
    annotations = read_json_file(dir.path() / "annotations.json");
    overrides = read_json_file(dir.path() / "gt_overrides.json");
    ClipSideState state = clip_entries(annotations, overrides, kClip);
    int64_t on_disk = overrides_generation(state);
    REQUIRE_MESSAGE(labels_generation(state) == on_disk % (1 << (2 * kLabelDigits)), "kill " << kill << ": the two files disagree");
    REQUIRE_MESSAGE((on_disk == reported || on_disk == reported + 1), "kill " << kill << ": generation " << on_disk << ", child finished " << reported);
    REQUIRE_MESSAGE(overrides_generation(loaded) == on_disk, "kill " << kill << ": the loader saw generation " << overrides_generation(loaded) << ", recovery gave " << on_disk);
    killed_mid_save += on_disk == reported + 1;  // the kill came after the commit point, before the report
    REQUIRE(annotations.at("_meta") == fixture_annotations().at("_meta"));
    REQUIRE(annotations.at(kOtherClip) == fixture_annotations().at(kOtherClip));
    REQUIRE(annotations.at(kClip).at("999") == "visible");
    REQUIRE(overrides.at(kOtherClip) == fixture_overrides().at(kOtherClip));
    REQUIRE(overrides.at(kClip).at("note") == "checked by ana");
    REQUIRE(overrides.at("_schema") == 2);
    generation = on_disk;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE("kills " << kKills << ", saves finished " << total_saves << ", kills after a save's commit point rolled forward "
                   << rolled_forward << ", pair mixed before recovery " << mixed_before_recovery << " (the loader saw an unfinished save "
                   << loader_saw_unfinished << " times, never a mixed pair), recoveries that removed temp files "
                   << temps_removed << ", kills that landed after a save took effect " << killed_mid_save << ", one save " << save_us << " us, kill delay 0.." << max_delay_us << " us, seconds " << seconds);
  CHECK(total_saves >= kKills / 4);  // the kills really landed among saves (about 10 saves per kill on tmpfs; fewer under ASan and load)
}
