// The RSV mode's command handlers without a window: a synthetic release (`synth --rsv`, small
// frames) is opened through the same OpenDataset command as an IDM dataset, its check and
// frames come back from tasks, and navigation is checked on the state.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unistd.h>

#include "rsv/frames.hpp"
#include "rsv/kinematics.hpp"
#include "rsv_synth/release_writer.hpp"
#include "state/apply.hpp"
#include "state/rsv_apply.hpp"
#include "synth/synth.hpp"

namespace fs = std::filesystem;
using namespace idm;
using namespace idm::gui;

namespace {

class NoVideo final : public VideoSource {
 public:
  uint64_t open(const fs::path&) override { return ++generation; }
  void prefetch(const fs::path&) override {}
  void seek_native(int, uint64_t) override {}
  bool poll(DecodeEvent&) override { return false; }
  uint64_t generation = 0;
};

struct TempRelease {
  fs::path path;
  ~TempRelease() {
    std::error_code ignored;
    if (!path.empty()) fs::remove_all(path, ignored);
  }
};

// One synthetic release per run: every construction and the planted problems, 160x90 frames.
const fs::path& synthetic_release() {
  static TempRelease root{[] {
    fs::path dir = fs::temp_directory_path() / ("idmscope-rsv-model-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    rsv_synth::RsvSynthOptions options;
    options.out_dir = dir / "release";
    options.width_px = 160;
    options.height_px = 90;
    options.per_split = 1;
    options.threads = 2;
    std::string error;
    REQUIRE_MESSAGE(rsv::load_conventions(rsv::default_conventions_path(), options.table, error), error);
    rsv_synth::RsvSynthStats stats;
    REQUIRE_MESSAGE(rsv_synth::write_synthetic_release(options, stats, error), error);
    return dir;
  }()};
  return root.path;
}

struct Harness {
  AppState state;
  NoVideo video;
  TaskRegistry tasks;
  ViewerContext context{state, video, tasks};
  CommandQueue window_commands;

  void run(CommandQueue commands) {
    apply_frame(context, commands, window_commands);
    for (int guard = 0; guard < 1000; ++guard) {
      tasks.wait_idle();
      CommandQueue results;
      tasks.drain(results);
      if (results.empty() && !tasks.any_running()) return;
      apply_frame(context, results, window_commands);
    }
    FAIL("tasks never settled");
  }
  void open() {
    run({cmd::OpenDataset{(synthetic_release() / "release").string()}});
    REQUIRE(state.rsv.active);
    REQUIRE(state.rsv.release != nullptr);
    REQUIRE(state.rsv.current_report());
  }
  int item(const std::string& key) const { return find_rsv_item(*state.rsv.release, key); }
  const rsv::ItemResult& result(const std::string& key) const {
    const rsv::ItemResult* found = state.rsv.result(item(key));
    REQUIRE(found != nullptr);
    return *found;
  }
};

bool logged(const AppState& state, const std::string& text) {
  for (const Notice& notice : state.notifications.newest_first()) {
    if (notice.message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("an RSV release opens in RSV mode through the dataset command; the check runs in a task") {
  Harness h;
  h.open();
  const RsvState& rsv = h.state.rsv;
  CHECK(h.state.dataset.clips.empty());  // the IDM state is untouched
  CHECK(rsv.release->items.size() == rsv.report->items.size());
  CHECK(rsv.release->items.size() >= 15);
  CHECK(rsv.item == 0);
  // The planted verdicts of the fixture's manifest.
  CHECK(h.result("inverse_easy/run_20260112_093001__traj_2").layer1.pass == false);  // 1.5 cm drift
  CHECK(h.result("inverse_easy/run_20260113_141500__traj_1").layer1.pass == true);   // 0.8 cm drift
  CHECK(h.result("loop_easy/run_20260113_141500__traj_1").layer1.pass == true);      // scene change in the last step
  CHECK(h.result("loop_easy/run_20260113_141500__traj_1").layer2.pass == false);
  const rsv::ItemResult& far_pair = h.result("equivalence_easy/run_20260113_141500__pair_101");
  CHECK(far_pair.layer1.pass == false);
  CHECK(far_pair.layer1.closure_residual_cm == doctest::Approx(100.0).epsilon(0.01));
  CHECK(h.result("equivalence_easy/run_20260112_093001__pair_100").layer2.pass == true);
  // A broken file opens with the others and is named in the log.
  CHECK(logged(h.state, "loop_easy/run_20260112_093001__traj_2_meta.json"));
  CHECK(logged(h.state, "not JSON at line"));
  CHECK(logged(h.state, "loop_hard/run_20260113_141500__traj_2.mp4"));
}

TEST_CASE("RSV navigation: frames, steps, items and partners are commands") {
  Harness h;
  h.open();
  h.run({cmd::RsvSelectItem{"inverse_easy/run_20260112_093001__traj_1"}});
  CHECK(h.state.rsv.item == h.item("inverse_easy/run_20260112_093001__traj_1"));
  CHECK(h.state.rsv.frame_count() == 360);
  h.run({cmd::RsvSeek{1000}});
  CHECK(h.state.rsv.frame == 359);
  h.run({cmd::RsvSeek{-4}});
  CHECK(h.state.rsv.frame == 0);
  h.run({cmd::RsvStepFrame{+5}});
  CHECK(h.state.rsv.frame == 5);
  h.run({cmd::RsvStepStep{+1}});
  CHECK(h.state.rsv.frame == 9);
  h.run({cmd::RsvStepFrame{+4}, cmd::RsvStepStep{-1}});  // inside a step: back to its start
  CHECK(h.state.rsv.frame == 9);
  h.run({cmd::RsvStepStep{-1}});
  CHECK(h.state.rsv.frame == 0);
  h.run({cmd::RsvStepStep{-1}});
  CHECK(h.state.rsv.frame == 0);
  // A member key selects its pair; the shown frame stays.
  h.run({cmd::RsvSeek{359}, cmd::RsvSelectItem{"equivalence_easy/run_20260112_093001__pair_100_B_traj_2"}});
  CHECK(h.state.rsv.item == h.item("equivalence_easy/run_20260112_093001__pair_100"));
  CHECK(h.state.rsv.frame == 359);
  // An unknown key is a notice, not a change.
  int before = h.state.rsv.item;
  h.run({cmd::RsvSelectItem{"inverse_easy/nothing"}});
  CHECK(h.state.rsv.item == before);
  CHECK(logged(h.state, "no trajectory or pair inverse_easy/nothing"));
  // Items in the browser's order.
  std::vector<int> order = {3, 1, 2};
  h.run({cmd::RsvStepItem{+1, order}});  // not in the order: its first
  CHECK(h.state.rsv.item == 3);
  h.run({cmd::RsvStepItem{+1, order}});
  CHECK(h.state.rsv.item == 1);
  h.run({cmd::RsvToggleDifference{}, cmd::RsvToggleFlicker{}});
  CHECK_FALSE(h.state.rsv.show_difference);
  CHECK(h.state.rsv.flicker);
  // Playing advances at 16 fps and stops at the end.
  h.run({cmd::RsvSeek{350}, cmd::RsvTogglePlay{}, cmd::RsvAdvance{0.25}});
  CHECK(h.state.rsv.frame == 354);
  h.run({cmd::RsvAdvance{2.0}});
  CHECK(h.state.rsv.frame == 359);
  CHECK_FALSE(h.state.rsv.playing);
}

TEST_CASE("RSV frames are decoded in tasks; a pair's PSNR curve and endpoints follow the item") {
  Harness h;
  h.open();
  const std::string pair = "equivalence_easy/run_20260112_093001__pair_100";
  h.run({cmd::RsvSelectItem{pair}, cmd::RsvSeek{359}});
  const rsv::LoadedItem* loaded = h.state.rsv.current_item();
  REQUIRE(loaded != nullptr);
  REQUIRE(loaded->members.size() == 2);
  auto a = h.state.rsv.cache.find(loaded->members[0].files.key, 359);
  auto b = h.state.rsv.cache.find(loaded->members[1].files.key, 359);
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a->width == 160);
  CHECK(a->height == 90);
  CHECK(h.state.rsv.curve_item == pair);
  REQUIRE(h.state.rsv.curve_psnr_db.size() == 360);
  // The halves meet at the end: the last frame's PSNR is the check's Layer 2 PSNR.
  double checked = *h.result(pair).layer2.psnr_db;
  if (std::isinf(checked)) CHECK(std::isinf(h.state.rsv.curve_psnr_db[359]));
  else CHECK(h.state.rsv.curve_psnr_db[359] == doctest::Approx(checked));
  // Where the two paths stand at the same pose the frames agree; where they are furthest apart
  // they do not.
  const rsv::RsvMeta& meta_a = loaded->members[0].meta;
  const rsv::RsvMeta& meta_b = loaded->members[1].meta;
  int furthest = -1;
  double furthest_cm = 0.0;
  int coinciding = 0;
  for (size_t k = 0; k < meta_a.steps.size(); ++k) {
    double apart = rsv::distance_cm(meta_a.steps[k].start.position_cm, meta_b.steps[k].start.position_cm);
    if (apart > furthest_cm) furthest_cm = apart, furthest = static_cast<int>(k) * 9;
    if (rsv::same_pose(meta_a.steps[k].start, meta_b.steps[k].start, 0.01, 0.01)) {
      ++coinciding;
      CHECK(h.state.rsv.curve_psnr_db[k * 9] >= 25.0);  // the same view, through two encodes (CRF noise)
    }
  }
  CHECK(coinciding > 0);
  REQUIRE(furthest_cm > 100.0);
  CHECK(h.state.rsv.curve_psnr_db[static_cast<size_t>(furthest)] < 20.0);
  // The truncated video's frames cannot be decoded: named once, no crash.
  h.run({cmd::RsvSelectItem{"inverse_hard/run_20260112_093001__traj_2"}, cmd::RsvSeek{100}});
  CHECK(h.state.rsv.cache.errors.count("inverse_hard/run_20260112_093001__traj_2") == 1);
}

TEST_CASE("changing the endpoint policy re-runs the check in a task; an IDM dataset leaves RSV mode") {
  Harness h;
  h.open();
  uint64_t before = h.state.rsv.settings_revision;
  h.run({cmd::RsvSetCheckSettings{"closure", "start"}});
  CHECK(h.state.rsv.settings_revision == before + 1);
  CHECK(h.state.rsv.current_report());
  CHECK(rsv::endpoint_policy_name(h.state.rsv.endpoints) == "closure");
  h.run({cmd::RsvSetCheckSettings{"closure", "start"}});  // the same: no new check
  CHECK(h.state.rsv.settings_revision == before + 1);
  h.run({cmd::RsvSetCheckSettings{"sideways", "start"}});
  CHECK(h.state.rsv.settings_revision == before + 1);
  CHECK(logged(h.state, "sideways"));
  // An IDM dataset opened afterwards is shown instead.
  synth::SynthOptions options;
  options.out_dir = synthetic_release() / "idm";
  options.clips = 1;
  options.width_px = 320;
  options.height_px = 200;
  options.threads = 1;
  std::string error;
  REQUIRE_MESSAGE(synth::write_synthetic_dataset(options, error), error);
  h.run({cmd::OpenDataset{options.out_dir.string()}});
  CHECK_FALSE(h.state.rsv.active);
  CHECK(h.state.dataset.clips.size() == 1);
  // And the release again, through the path a drop takes.
  h.run({cmd::OpenPath{(synthetic_release() / "release").string()}});
  CHECK(h.state.rsv.active);
}
