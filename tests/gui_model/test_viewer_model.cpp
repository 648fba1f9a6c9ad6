// The viewer's command handlers without a window, a GPU or a decoder: commands go in, tasks run
// (on their threads, as in the viewer), their results come back as commands, and the state is
// checked. The dataset is a small `synth` sample written once per run.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "analysis/metrics_view.hpp"
#include "analysis/triage.hpp"
#include "commands.hpp"
#include "editor_actions.hpp"
#include "io/frame_io_guard.hpp"
#include "dataset/dataset_index.hpp"
#include "lane_marks.hpp"
#include "layout.hpp"
#include "state/apply.hpp"
#include "state/dataset_fill.hpp"
#include "synth/synth.hpp"

namespace fs = std::filesystem;
using namespace idm;
using namespace idm::gui;

namespace {

// Records what the handlers asked of the video engine and answers an open with a 25-frame grid
// of a 30 fps video (no pixels: the handlers never look at them).
class FakeVideo final : public VideoSource {
 public:
  uint64_t open(const fs::path& video) override {
    opened.push_back(video);
    auto clip = std::make_shared<ClipVideo>();
    clip->path = video;
    for (int i = 0; i < 150; ++i) clip->index.frames.push_back({i, 1, i * 33333, 33333, i % 30 == 0});
    for (int k = 0; k < 25; ++k) clip->grid.source_frame_index.push_back(k * 6);
    DecodeEvent event;
    event.kind = DecodeEvent::Kind::Opened;
    event.generation = ++generation;
    event.clip = clip;
    events.push_back(event);
    return generation;
  }
  void prefetch(const fs::path& video) override { prefetched.push_back(video); }
  void seek_native(int source_frame_index, uint64_t) override { native_seeks.push_back(source_frame_index); }
  bool poll(DecodeEvent& out) override {
    if (events.empty()) return false;
    out = events.front();
    events.erase(events.begin());
    return true;
  }
  std::vector<fs::path> opened, prefetched;
  std::vector<int> native_seeks;
  std::vector<DecodeEvent> events;
  uint64_t generation = 0;
};

// Removes the run's temporary folder when the suite ends.
struct TempRoot {
  fs::path path;
  ~TempRoot() {
    std::error_code ignored;
    if (!path.empty()) fs::remove_all(path, ignored);
  }
};

const fs::path& sample_dataset() {
  static TempRoot root{[] {
    fs::path dir = fs::temp_directory_path() / ("idmscope-viewer-model-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    synth::SynthOptions options;
    options.out_dir = dir / "pristine";
    options.clips = 3;
    options.seed = 4;
    options.width_px = 320;
    options.height_px = 200;
    options.threads = 1;
    std::string error;
    REQUIRE_MESSAGE(synth::write_synthetic_dataset(options, error), error);
    return dir;
  }()};
  return root.path;
}

// A fresh copy of the sample for one test (the editor writes into it).
fs::path fresh_copy(const std::string& name) {
  fs::path copy = sample_dataset() / name;
  fs::remove_all(copy);
  fs::copy(sample_dataset() / "pristine", copy, fs::copy_options::recursive);
  return copy;
}

std::vector<std::string> prediction_sources(const fs::path& dataset) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dataset / "predictions")) out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Harness {
  AppState state;
  FakeVideo video;
  TaskRegistry tasks;
  ViewerContext context{state, video, tasks};
  CommandQueue window_commands;

  Harness() {
    std::string error;
    REQUIRE(load_profile("protocol", state.profile, error));
  }
  // One frame's apply point with these commands, then frames until every task has finished
  // and its result has been applied (as the viewer's frames would, without drawing).
  void run(CommandQueue commands) {
    apply_frame(context, commands, window_commands);
    for (int guard = 0; guard < 1000; ++guard) {
      tasks.wait_idle();
      CommandQueue none;
      apply_frame(context, none, window_commands);
      if (!tasks.any_running() && !state.editor.save_in_flight) {
        CommandQueue check;
        tasks.drain(check);
        if (check.empty()) return;
        apply_frame(context, check, window_commands);
      }
    }
    FAIL("tasks never settled");
  }
  void apply_frame_only(CommandQueue& commands) { apply_frame(context, commands, window_commands); }
  void open(const fs::path& dataset, bool with_sources = true) {
    run({cmd::OpenDataset{dataset.string()}});
    REQUIRE(state.dataset_path == dataset.string());
    if (!with_sources) return;
    CommandQueue add;
    for (const std::string& source : prediction_sources(dataset)) add.push_back(cmd::AddSource{source});
    run(std::move(add));
    REQUIRE(state.sources.size() == prediction_sources(dataset).size());
  }
};

// The score `idmscope score --dataset` computes for this source from what is now on disk.
DatasetScore score_from_disk(const fs::path& dataset_path, const std::string& source_path, const ScoringProfile& profile) {
  Dataset dataset;
  std::string error;
  REQUIRE(load_dataset(dataset_path, DatasetLoadOptions{}, dataset, error));
  PredictionSet predictions;
  REQUIRE(load_prediction_source(source_path, dataset, predictions, error));
  return score_dataset(dataset, predictions, profile);
}

void check_same_totals(const DatasetScore& shown, const DatasetScore& expected) {
  CHECK(shown.overall.tp == expected.overall.tp);
  CHECK(shown.overall.fp == expected.overall.fp);
  CHECK(shown.overall.fn == expected.overall.fn);
  CHECK(shown.overall.neutral == expected.overall.neutral);
  for (int type = 0; type < kActionTypeCount; ++type) {
    CHECK(shown.per_type[static_cast<size_t>(type)].tp == expected.per_type[static_cast<size_t>(type)].tp);
    CHECK(shown.per_type[static_cast<size_t>(type)].fn == expected.per_type[static_cast<size_t>(type)].fn);
    CHECK(shown.per_type[static_cast<size_t>(type)].neutral == expected.per_type[static_cast<size_t>(type)].neutral);
  }
}

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// Label indices of the open clip's GT actions at grid frames 5..19 (scored by every profile).
std::vector<int> scored_actions(const AppState& state) {
  std::vector<int> out;
  for (const ScoredGtItem& item : state.editor.document.overridden_gt().items) {
    if (item.action.type != ActionType::MouseMove && item.action.frame >= 5 && item.action.frame < 20) out.push_back(item.label_index);
  }
  return out;
}

// Removes the first clip's labels from annotations.json (the sample labels every action), so
// that labelling changes what is scored.
void without_first_clip_labels(const fs::path& dataset) {
  nlohmann::json annotations = read_json(dataset / "annotations.json");
  std::string first;
  for (auto& [key, value] : annotations.items()) {
    if (!key.starts_with("_") && (first.empty() || key < first)) first = key;
  }
  annotations.erase(first);
  std::ofstream(dataset / "annotations.json") << annotations.dump(1);
}

}  // namespace

TEST_CASE("opening a dataset is a task whose result selects the first clip and asks for its video") {
  Harness h;
  fs::path dataset = fresh_copy("open");
  h.run({cmd::OpenDataset{dataset.string()}});
  REQUIRE(h.state.dataset.clips.size() == 3);
  CHECK(h.state.view.clip == 0);
  REQUIRE(h.video.opened.size() == 1);
  CHECK(h.video.opened[0] == h.state.dataset.clips[0].video_path);
  CHECK(h.video.prefetched.size() == 1);  // the next clip's grid
  CHECK(h.state.view.video != nullptr);   // the Opened event was drained at the apply point
  CHECK(h.state.grid_length() == 25);
  REQUIRE(h.state.notifications.newest() != nullptr);
  CHECK(h.state.notifications.count(NoticeCode::DatasetOpened) == 1);
  CHECK(h.state.revisions.dataset == 1);
  CHECK(h.state.editor.document.is_open());  // opened for editing by its own task
}

// Applies the open's result only: the clips are listed, their logs not yet read (the fill's
// tasks run but their results are not drained).
void open_listed_only(Harness& h, const fs::path& dataset) {
  CommandQueue open{cmd::OpenDataset{dataset.string()}};
  h.apply_frame_only(open);
  while (h.tasks.running(TaskKind::OpenDataset)) h.tasks.wait_idle_except(TaskKind::FillDataset);
  CommandQueue results;
  h.tasks.drain(results);
  REQUIRE(results.size() == 1);
  REQUIRE(std::holds_alternative<cmd::DatasetLoaded>(results[0]));
  h.apply_frame_only(results);
  REQUIRE(h.state.dataset_path == dataset.string());
}

TEST_CASE("an open lists the clips first and reads their logs in background tasks; a second open takes the columns from the index") {
  Harness h;
  fs::path dataset = fresh_copy("lazy");
  fs::remove_all(dataset / ".idmscope");
  open_listed_only(h, dataset);
  REQUIRE(h.state.dataset.clips.size() == 3);
  CHECK_FALSE(h.state.fill.done);
  for (const DatasetClip& clip : h.state.dataset.clips) {
    CHECK_FALSE(clip.filled);  // listed from the tree only: no index yet
    CHECK_FALSE(clip.summary.has_value());
  }
  // The clip on screen is read ahead of the batches.
  CHECK(h.state.fill.priority_clip == 0);
  // Sources asked for meanwhile wait for every clip, then are scored.
  for (const std::string& source : prediction_sources(dataset)) {
    Command add = cmd::AddSource{source};
    apply_command(h.context, add);  // alone: no task's result is applied meanwhile
  }
  CHECK(h.state.fill.pending_sources.size() == prediction_sources(dataset).size());
  CHECK_FALSE(h.tasks.running(TaskKind::LoadSource));
  h.run({});
  CHECK(h.state.fill.done);
  CHECK(h.state.fill.filled == 3);
  CHECK(h.state.notifications.count(NoticeCode::DatasetRead) == 1);
  for (const DatasetClip& clip : h.state.dataset.clips) {
    CHECK(clip.filled);
    CHECK(clip.loaded);
    REQUIRE(clip.summary.has_value());
    CHECK(clip.summary->gt_total() == static_cast<int>(clip.canonical_gt.size()));
  }
  REQUIRE(h.state.sources.size() == prediction_sources(dataset).size());
  CHECK(h.state.scores_current());
  CHECK(h.state.editor.document.is_open());
  // The fill wrote the index; the next open lists every column from it before any log is read.
  REQUIRE(fs::is_regular_file(dataset / kDatasetIndexPath));
  Harness again;
  open_listed_only(again, dataset);
  CHECK(again.state.fill.from_index == 3);
  for (size_t i = 0; i < 3; ++i) {
    const DatasetClip& clip = again.state.dataset.clips[i];
    CHECK_FALSE(clip.filled);
    REQUIRE(clip.summary.has_value());
    CHECK(*clip.summary == *h.state.dataset.clips[i].summary);
    REQUIRE(clip.video.has_value());
    CHECK(clip.video->grid_frames == 25);
  }
  again.run({});
  CHECK(again.state.fill.done);
  // A clip whose JSON changed (size and mtime) is not taken from the index.
  const DatasetClip& changed = again.state.dataset.clips[1];
  nlohmann::json log;
  {
    std::ifstream in(changed.json_path);
    in >> log;
  }
  log["tag"] = "retagged";
  {
    std::ofstream out(changed.json_path, std::ios::trunc);
    out << log.dump(2);
  }
  Harness third;
  open_listed_only(third, dataset);
  CHECK(third.state.fill.from_index == 2);
  CHECK_FALSE(third.state.dataset.clips[1].summary.has_value());
  third.run({});
  REQUIRE(third.state.dataset.clips[1].summary.has_value());
  CHECK(third.state.dataset.clips[1].summary->tag == "retagged");
}

TEST_CASE("a clip selected while the dataset is read jumps the queue") {
  // 900 clips (links to the sample's logs, no videos): the batches read them in order, a few
  // hundred at a time, and the next batch starts only when the last one's result is applied.
  fs::path dataset = sample_dataset() / "jump";
  fs::remove_all(dataset);
  fs::create_directories(dataset / "clips_recording_links");
  std::vector<fs::path> logs;
  for (const auto& folder : fs::directory_iterator(sample_dataset() / "pristine")) {  // not predictions/
    if (!folder.path().filename().string().starts_with("clips_recording_")) continue;
    for (const auto& entry : fs::directory_iterator(folder.path())) {
      if (entry.path().extension() == ".json" && entry.path().filename().string().starts_with("clip_")) logs.push_back(entry.path());
    }
  }
  REQUIRE(logs.size() == 3);
  char name[32];
  for (int i = 0; i < 900; ++i) {
    std::snprintf(name, sizeof name, "clip_%04d.json", i);
    fs::create_symlink(logs[static_cast<size_t>(i) % logs.size()], dataset / "clips_recording_links" / name);
  }
  Harness h;
  open_listed_only(h, dataset);
  REQUIRE(h.state.dataset.clips.size() == 900);
  CHECK(h.state.fill.filled == 0);
  CommandQueue select{cmd::SelectClip{850}};
  h.apply_frame_only(select);
  REQUIRE_FALSE(h.state.dataset.clips[850].filled);
  CHECK(h.state.fill.priority_clip == 850);
  // Frames go on until clip 850 is read: it comes before the batches reach it.
  for (int guard = 0; guard < 10000 && !h.state.dataset.clips[850].filled; ++guard) {
    h.tasks.wait_idle_except(TaskKind::OpenDataset);
    CommandQueue none;
    h.apply_frame_only(none);
  }
  REQUIRE(h.state.dataset.clips[850].filled);
  CHECK(h.state.fill.filled < 850);
  CHECK(h.state.view.clip == 850);
  h.run({});
  CHECK(h.state.fill.done);
  CHECK(h.state.fill.filled == 900);
  CHECK(h.state.view.evaluated);
  CHECK(h.state.editor.document.is_open());
  CHECK(h.state.editor.document.clip_key() == h.state.dataset.clips[850].key);
  fs::remove_all(dataset);
}

TEST_CASE("the editor looks at its side files in a task and reloads a change made by another program") {
  Harness h;
  fs::path dataset = fresh_copy("outside");
  h.open(dataset, false);
  REQUIRE(h.state.editor.document.is_open());
  const std::string key = h.state.editor.document.clip_key();
  nlohmann::json annotations = nlohmann::json::object();
  {
    std::ifstream in(dataset / "annotations.json");
    if (in) in >> annotations;
  }
  annotations[key]["0"] = "not_predictable";
  {
    std::ofstream out(dataset / "annotations.json.new");
    out << annotations.dump() << "\n";
  }
  fs::rename(dataset / "annotations.json.new", dataset / "annotations.json");
  h.state.editor.last_disk_check_s = -1.0;  // due now
  CommandQueue none;
  h.apply_frame_only(none);
  CHECK(h.state.editor.disk_poll_in_flight);  // the frame only started the look
  h.run({});
  CHECK_FALSE(h.state.editor.disk_poll_in_flight);
  auto labels = h.state.dataset.annotations.clips.find(key);
  REQUIRE(labels != h.state.dataset.annotations.clips.end());
  CHECK(h.state.notifications.count(NoticeCode::ReloadedFromDisk) == 1);
}

TEST_CASE("errors are typed notices, handled once") {
  Harness h;
  h.run({cmd::AddSource{"/nonexistent/predictions.json"}});
  REQUIRE(h.state.notifications.newest());
  CHECK(h.state.notifications.newest()->code == NoticeCode::NeedsDataset);
  h.run({cmd::OpenDataset{"/nonexistent/dataset"}});
  CHECK(h.state.notifications.newest()->code == NoticeCode::DatasetUnreadable);
  CHECK(h.state.notifications.newest()->severity == Severity::Error);
  CHECK(h.state.notifications.count(NoticeCode::DatasetUnreadable) == 1);
  CHECK(h.state.dataset_path.empty());
  fs::path dataset = fresh_copy("errors");
  h.open(dataset, false);
  h.run({cmd::AddSource{(dataset / "no-such-source.json").string()}});
  CHECK(h.state.notifications.newest()->code == NoticeCode::SourceUnreadable);
  CHECK(h.state.sources.empty());
}

TEST_CASE("time control: step, seek, native frames and playback are commands") {
  Harness h;
  h.open(fresh_copy("time"), false);
  h.run({cmd::StepGrid{+1}, cmd::StepGrid{+1}});
  CHECK(h.state.grid_frame == 2);
  h.run({cmd::SeekLast{}});
  CHECK(h.state.grid_frame == 24);
  h.run({cmd::StepGrid{+1}});
  CHECK(h.state.grid_frame == 24);  // clamped
  h.run({cmd::SeekGrid{3}, cmd::StepNative{+1}});
  CHECK(h.state.view.native_source_frame == 3 * 6 + 1);
  REQUIRE(!h.video.native_seeks.empty());
  CHECK(h.video.native_seeks.back() == 19);
  h.run({cmd::SeekGrid{0}});
  CHECK(h.state.view.native_source_frame == -1);
  // Play on the 5 fps grid: 0.45 s of frame clock is two grid steps.
  h.run({cmd::TogglePlay{}});
  CHECK(h.state.playing);
  h.run({cmd::AdvancePlayback{0.45}});
  CHECK(h.state.grid_frame == 2);
  h.run({cmd::Jkl{'l'}});
  CHECK(h.state.play_speed == 2.0);  // L while playing forwards doubles the speed
  h.run({cmd::Jkl{'k'}});
  CHECK_FALSE(h.state.playing);
  h.run({cmd::AdvancePlayback{1.0}});
  CHECK(h.state.grid_frame == 2);  // paused: the clock does not move it
  h.run({cmd::SetLoop{false}, cmd::SeekGrid{23}, cmd::Jkl{'l'}, cmd::AdvancePlayback{0.5}});
  CHECK(h.state.grid_frame == 24);
  CHECK_FALSE(h.state.playing);  // stopped at the end instead of looping
}

TEST_CASE("switching clips follows the browser order and reopens the editor on the new clip") {
  Harness h;
  h.open(fresh_copy("switch"), false);
  h.run({cmd::StepClip{+1, {2, 0, 1}}});
  CHECK(h.state.view.clip == 1);  // after clip 0 in that order comes clip 1
  h.run({cmd::StepClip{+1, {2, 0, 1}}});
  CHECK(h.state.view.clip == 1);  // the end of the order
  h.run({cmd::SelectClipByKey{h.state.dataset.clips[2].key}});
  CHECK(h.state.view.clip == 2);
  CHECK(h.video.opened.back() == h.state.dataset.clips[2].video_path);
  CHECK(h.state.editor.clip == 2);
  CHECK(h.state.editor.document.is_open());
  CHECK(h.state.editor.document.clip_key() == h.state.dataset.clips[2].key);
}

TEST_CASE("sources are scored in a task; the dataset score equals score --dataset") {
  Harness h;
  fs::path dataset = fresh_copy("sources");
  h.open(dataset);
  REQUIRE(h.state.sources.size() >= 2);
  CHECK(h.state.scores_current());
  CHECK(h.state.metrics.current);
  for (const Source& source : h.state.sources) check_same_totals(source.score, score_from_disk(dataset, source.predictions.path, h.state.profile));
  REQUIRE(h.state.metrics.rows.size() == h.state.sources.size());
  CHECK(h.state.metrics.rows[0].dataset.total.tp == h.state.sources[0].score.overall.tp);
  h.run({cmd::RemoveSource{0}});
  CHECK(h.state.sources.size() == prediction_sources(dataset).size() - 1);
  CHECK(h.state.metrics.rows.size() == h.state.sources.size());
}

TEST_CASE("label and edit: every derived number is recomputed, none is patched, and equals scoring the saved files") {
  Harness h;
  fs::path dataset = fresh_copy("label");
  without_first_clip_labels(dataset);
  h.open(dataset);
  std::vector<Counts> before;
  for (const Source& source : h.state.sources) before.push_back(source.score.overall);
  uint64_t side_files = h.state.revisions.side_files;
  // Label one action not_predictable (excluded by the protocol profile) and delete another,
  // both in the frames the protocol's windows score (not the clip's first two).
  std::vector<int> middle = scored_actions(h.state);
  REQUIRE(middle.size() >= 2);
  h.run({cmd::EditorSelect{middle[0]}, cmd::EditorLabel{Visibility::NotPredictable}});
  CHECK(h.state.revisions.side_files > side_files);
  REQUIRE(h.state.editor.document.dirty());
  h.run({cmd::EditorSelect{middle[1]}, cmd::EditorDeleteSelected{}});
  CHECK(h.state.scores_current());
  CHECK(h.state.metrics.current);
  // The dataset rows (not just the clip's) moved, and equal a scoring of the dataset's side files now.
  bool changed = false;
  for (size_t s = 0; s < h.state.sources.size(); ++s) {
    changed = changed || !(h.state.sources[s].score.overall.tp == before[s].tp && h.state.sources[s].score.overall.fn == before[s].fn &&
                           h.state.sources[s].score.overall.neutral == before[s].neutral);
  }
  CHECK_MESSAGE(changed, "the edits should change some source's dataset totals (else the test proves nothing)");
  h.run({cmd::EditorSave{}});
  CHECK_FALSE(h.state.editor.document.dirty());
  CHECK(h.state.notifications.count(NoticeCode::SaveFailed) == 0);
  for (size_t s = 0; s < h.state.sources.size(); ++s) {
    DatasetScore expected = score_from_disk(dataset, h.state.sources[s].predictions.path, h.state.profile);
    check_same_totals(h.state.sources[s].score, expected);
    CHECK(h.state.metrics.rows[s].dataset.total.tp == expected.overall.tp);
    CHECK(h.state.metrics.rows[s].dataset.total.fn == expected.overall.fn);
    CHECK(h.state.metrics.rows[s].dataset.total.neutral == expected.overall.neutral);
  }
  // Undo twice: back to the numbers we started with.
  h.run({cmd::EditorUndo{}, cmd::EditorUndo{}});
  for (size_t s = 0; s < h.state.sources.size(); ++s) {
    CHECK(h.state.sources[s].score.overall.tp == before[s].tp);
    CHECK(h.state.sources[s].score.overall.fn == before[s].fn);
    CHECK(h.state.sources[s].score.overall.neutral == before[s].neutral);
  }
}

TEST_CASE("edits asked for while a save runs wait for it and are then applied in order") {
  Harness h;
  fs::path dataset = fresh_copy("deferred");
  without_first_clip_labels(dataset);
  h.open(dataset, false);
  h.run({cmd::EditorSelectStep{+1}, cmd::EditorLabel{Visibility::Visible}});
  // One frame: Save starts a task; the labels after it wait for the saved copy.
  CommandQueue frame{cmd::EditorSave{}, cmd::EditorLabel{Visibility::Inferable}, cmd::EditorUndo{}, cmd::EditorLabel{Visibility::Ambiguous}};
  apply_frame(h.context, frame, h.window_commands);
  CHECK(h.state.editor.save_in_flight);
  CHECK(h.state.deferred_editor.size() == 3);
  h.run({});
  CHECK(h.state.deferred_editor.empty());
  auto [labelled, total] = h.state.editor.document.label_progress();
  CHECK(labelled == 2);  // visible (saved), inferable undone, then ambiguous on the next action
  (void)total;
  h.run({cmd::EditorSave{}});
  nlohmann::json saved = read_json(dataset / "annotations.json");
  const std::string& key = h.state.dataset.clips[0].key;
  REQUIRE(saved.contains(key));
  int visible = 0, ambiguous = 0;
  for (auto& [index, label] : saved[key].items()) {
    visible += label == "visible";
    ambiguous += label == "ambiguous";
  }
  CHECK(visible >= 1);
  CHECK(ambiguous >= 1);
}

TEST_CASE("changing the profile or a tolerance rescores every source in a task") {
  Harness h;
  fs::path dataset = fresh_copy("profile");
  h.open(dataset);
  uint64_t profile_revision = h.state.revisions.profile;
  h.run({cmd::SetProfile{"reference"}});
  CHECK(h.state.profile.name == "reference");
  CHECK(h.state.revisions.profile == profile_revision + 1);
  CHECK(h.state.scores_current());
  for (const Source& source : h.state.sources) {
    CHECK(source.score.profile.name == "reference");
    check_same_totals(source.score, score_from_disk(dataset, source.predictions.path, h.state.profile));
  }
  h.run({cmd::SetTolerance{static_cast<int>(ActionType::KeyPress), 0}});
  CHECK(h.state.profile.tolerance_frames[static_cast<size_t>(ActionType::KeyPress)] == 0);
  for (const Source& source : h.state.sources) check_same_totals(source.score, score_from_disk(dataset, source.predictions.path, h.state.profile));
  h.run({cmd::SetProfile{"no-such-profile"}});
  CHECK(h.state.notifications.newest()->code == NoticeCode::ProfileUnreadable);
  CHECK(h.state.profile.name == "reference");
}

TEST_CASE("N jumps to the next miss of the current scores") {
  Harness h;
  h.open(fresh_copy("misses"));
  std::vector<int> order{0, 1, 2};
  std::vector<const DatasetScore*> scores;
  for (const Source& source : h.state.sources) scores.push_back(&source.score);
  auto expected = analysis::next_miss(scores, order, {h.state.view.clip, h.state.grid_frame}, +1);
  REQUIRE(expected);
  h.run({cmd::JumpToMiss{+1, order}});
  CHECK(h.state.view.clip == expected->clip);
  CHECK(h.state.grid_frame == expected->frame);
  CHECK(h.state.notifications.newest()->code == NoticeCode::Navigated);
}

TEST_CASE("the metrics export waits for current scores and writes the panel's rows") {
  Harness h;
  fs::path dataset = fresh_copy("export");
  without_first_clip_labels(dataset);
  h.open(dataset);
  fs::path out = dataset / "exports";
  // Label, then export in the same frame: the export must show the new numbers, not the old.
  std::vector<int> middle = scored_actions(h.state);
  REQUIRE(!middle.empty());
  h.run({cmd::EditorSelect{middle[0]}, cmd::EditorLabel{Visibility::NotPredictable}, cmd::ExportMetrics{out.string(), true, true, 0, 1}});
  fs::path json_path = out / (dataset.filename().string() + "_metrics.json");
  REQUIRE(fs::exists(json_path));
  REQUIRE(fs::exists(out / (dataset.filename().string() + "_metrics.csv")));
  nlohmann::json exported = read_json(json_path);
  REQUIRE(exported["sources"].size() == h.state.sources.size());
  h.run({cmd::EditorSave{}});
  for (size_t s = 0; s < h.state.sources.size(); ++s) {
    DatasetScore expected = score_from_disk(dataset, h.state.sources[s].predictions.path, h.state.profile);
    CHECK(exported["sources"][s]["dataset"]["overall"]["tp"] == expected.overall.tp);
    CHECK(exported["sources"][s]["dataset"]["overall"]["fn"] == expected.overall.fn);
  }
  CHECK(exported["a_vs_b"]["rows"].size() > 0);
  CHECK(exported["sources"][0]["dataset"]["overall"]["neutral"] > 1);  // the label is in the exported numbers
  CHECK(h.state.notifications.count(NoticeCode::Exported) == 2);
}

TEST_CASE("task registry: progress, cancel, results in finishing order") {
  TaskRegistry tasks;
  std::atomic<bool> started{false};
  uint64_t slow = tasks.start(TaskKind::Scoring, "slow", [&](TaskContext& task) -> Command {
    started = true;
    task.set_progress(0.25);
    while (!task.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return cmd::TaskCancelled{"slow"};
  });
  tasks.start(TaskKind::Export, "quick", [](TaskContext&) -> Command { return cmd::FileWritten{"x", ""}; });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (int i = 0; i < 2000 && tasks.snapshot().size() > 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::vector<TaskInfo> running = tasks.snapshot();
  REQUIRE(running.size() == 1);
  CHECK(running[0].name == "slow");
  CHECK(running[0].progress == doctest::Approx(0.25));
  CHECK(tasks.running(TaskKind::Scoring));
  tasks.cancel(slow);
  tasks.wait_idle();
  CommandQueue results;
  tasks.drain(results);
  REQUIRE(results.size() == 2);
  CHECK(std::holds_alternative<cmd::FileWritten>(results[0]));
  CHECK(std::holds_alternative<cmd::TaskCancelled>(results[1]));
  CHECK_FALSE(tasks.any_running());
}

TEST_CASE("the frame I/O guard counts file reads inside a frame scope, on that thread only") {
  fs::path dataset = fresh_copy("guard");
  size_t before = FrameIoScope::violations();
  Dataset loaded;
  std::string error;
  REQUIRE(load_dataset(dataset, DatasetLoadOptions{false}, loaded, error));
  CHECK(FrameIoScope::violations() == before);
  {
    FrameIoScope frame;
    std::thread other([&] {
      Dataset elsewhere;
      std::string other_error;
      load_dataset(dataset, DatasetLoadOptions{false}, elsewhere, other_error);
    });
    other.join();
    CHECK(FrameIoScope::violations() == before);  // a task's thread may read
    load_dataset(dataset, DatasetLoadOptions{false}, loaded, error);
    CHECK(FrameIoScope::violations() > before);
  }
}

TEST_CASE("the tolerance sweep is derived in a task when the plots ask, and redone after an edit") {
  Harness h;
  fs::path dataset = fresh_copy("sweep");
  without_first_clip_labels(dataset);
  h.open(dataset);
  CHECK(h.state.sweeps.key.empty());  // nothing computed until asked
  h.run({cmd::WantSweep{}});
  REQUIRE(h.state.sweeps.key == h.state.sweep_key());
  REQUIRE(h.state.sweeps.curves.size() == h.state.sources.size());
  std::vector<analysis::SweepPoint> expected = analysis::tolerance_sweep(h.state.dataset, h.state.sources[0].predictions, h.state.profile);
  REQUIRE(h.state.sweeps.curves[0].size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    for (int type = 0; type < kActionTypeCount; ++type) {
      CHECK(h.state.sweeps.curves[0][i].f1[static_cast<size_t>(type)] == doctest::Approx(expected[i].f1[static_cast<size_t>(type)]));
    }
  }
  std::string before = h.state.sweeps.key;
  std::vector<int> middle = scored_actions(h.state);
  REQUIRE(!middle.empty());
  h.run({cmd::EditorSelect{middle[0]}, cmd::EditorDeleteSelected{}});
  CHECK(h.state.sweep_key() != before);  // stale: the plot shows "updating" and asks again
  h.run({cmd::WantSweep{}});
  CHECK(h.state.sweeps.key == h.state.sweep_key());
}

TEST_CASE("every source's lane shows its own misses, and a GT item's hover names each source's outcome") {
  Harness h;
  fs::path dataset = fresh_copy("misses");
  h.open(dataset, false);
  h.run({cmd::AddSource{(dataset / "predictions" / "good.json").string()}});
  h.run({cmd::AddSource{(dataset / "predictions" / "weak.json").string()}});
  REQUIRE(h.state.sources.size() == 2);
  std::vector<std::string> names{h.state.sources[0].predictions.name, h.state.sources[1].predictions.name};
  // A clip and a GT action the first source finds and only the second misses (the sample's weak model).
  int found_clip = -1, found_gt = -1;
  for (int clip = 0; clip < static_cast<int>(h.state.dataset.clips.size()) && found_gt < 0; ++clip) {
    h.run({cmd::SelectClip{clip}});
    REQUIRE(h.state.view.evaluations.size() == 2);
    const ClipEvaluation& first = h.state.view.evaluations[0];
    for (size_t i = 0; i < first.gt.size() && found_gt < 0; ++i) {
      if (first.gt[i].item.action.type == ActionType::MouseMove || first.gt[i].outcome != Outcome::TruePositive) continue;
      int other = same_gt_position(first, static_cast<int>(i), h.state.view.evaluations[1]);
      if (other >= 0 && h.state.view.evaluations[1].gt[static_cast<size_t>(other)].outcome == Outcome::FalseNegative) {
        found_clip = clip;
        found_gt = static_cast<int>(i);
      }
    }
  }
  REQUIRE_MESSAGE(found_gt >= 0, "the sample must have an action only the second source misses");
  const GtOutcome& missed = h.state.view.evaluations[0].gt[static_cast<size_t>(found_gt)];
  std::vector<MissMark> marks = miss_marks(h.state.view.evaluations);
  auto mark_in_lane = [&](size_t source) {
    return std::any_of(marks.begin(), marks.end(), [&](const MissMark& mark) {
      return mark.source == source && mark.frame == missed.item.action.frame && mark.label_index == missed.item.label_index;
    });
  };
  CAPTURE(found_clip);
  CHECK(mark_in_lane(1));   // the second lane marks the miss at the GT item's frame
  CHECK(!mark_in_lane(0));  // the first source found it
  std::string hover = gt_outcomes_text(h.state.view.evaluations, names, found_gt);
  CAPTURE(hover);
  CHECK(hover.find(names[0] + ": TP (") != std::string::npos);
  CHECK(hover.find(names[1] + ": FN (missed)") != std::string::npos);
  // Every FN the scorer counted for a source is one mark in that source's lane.
  for (size_t s = 0; s < 2; ++s) {
    int64_t fn = 0;
    for (const GtOutcome& gt : h.state.view.evaluations[s].gt) fn += gt.outcome == Outcome::FalseNegative ? 1 : 0;
    CHECK(std::count_if(marks.begin(), marks.end(), [&](const MissMark& mark) { return mark.source == s; }) == fn);
  }
}

TEST_CASE("lane headers cut long source names in the middle") {
  CHECK(middle_ellipsis("good", 10) == "good");
  std::string cut = middle_ellipsis("idm7b_run_2026_12_01_final", 12);
  CHECK(cut.size() == 12);
  CHECK(cut.starts_with("idm7b"));
  CHECK(cut.ends_with("final"));
  CHECK(cut.find("..") != std::string::npos);
}

TEST_CASE("the layout gives the video the middle and remembers the side panels' widths") {
  LayoutSettings layout;
  // 1920x1080 content area with a timeline of two sources (about 290 px with its tab bar).
  LayoutRects rects = compute_layout(layout, 1904, 1042, 290);
  CHECK(rects.browser_width == doctest::Approx(300));
  CHECK(rects.editor_width == doctest::Approx(360));
  CHECK(rects.bottom_height == doctest::Approx(290));
  CHECK(rects.middle_width + rects.browser_width + rects.editor_width + 2 * kSplitterWidth == doctest::Approx(1904));
  layout.browser_open = layout.editor_open = false;
  rects = compute_layout(layout, 1904, 1042, 290);
  CHECK(rects.browser_width == kCollapsedStripWidth);
  CHECK(rects.middle_width > 1800);
  layout.full_video = true;
  rects = compute_layout(layout, 1904, 1042, 290);
  CHECK(rects.middle_width == 1904);
  CHECK(rects.video_height > 1000);
  // Metrics and Plots get half the height; a huge timeline never takes more than 60 %.
  layout = LayoutSettings{};
  layout.wide_bottom = true;
  CHECK(compute_layout(layout, 1904, 1042, 290).bottom_height == doctest::Approx(521));
  layout.wide_bottom = false;
  CHECK(compute_layout(layout, 1904, 1042, 5000).bottom_height == doctest::Approx(1042 * 0.6));

  fs::path dir = sample_dataset() / "layout_config";
  fs::create_directories(dir);
  fs::path file = dir / "layout.json";
  std::ofstream(file) << R"({"theme": "dark", "browser_width": 250})";
  std::string warning;
  LayoutSettings loaded = load_layout(file, warning);
  CHECK(warning.empty());
  CHECK(loaded.browser_width == 250);
  loaded.editor_open = false;
  loaded.editor_width = 410;
  std::string error;
  REQUIRE(save_layout(file, loaded, error));
  LayoutSettings again = load_layout(file, warning);
  CHECK(again.browser_width == 250);
  CHECK(again.editor_width == 410);
  CHECK(!again.editor_open);
  CHECK(read_json(file)["theme"] == "dark");  // keys it does not know survive
  std::ofstream(file) << "[1, 2";
  LayoutSettings broken = load_layout(file, warning);
  CHECK(warning.find("layout.json") != std::string::npos);
  CHECK(broken.browser_width == LayoutSettings{}.browser_width);
}

TEST_CASE("deleting a GT action keeps the selection on the neighbouring row, and the playhead with it") {
  Harness h;
  h.open(fresh_copy("delete_selection"), false);
  REQUIRE(h.state.editor.document.is_open());
  std::vector<int> order;
  std::vector<int> frames;
  for (const ScoredGtItem& item : h.state.editor.document.overridden_gt().items) {
    order.push_back(item.label_index);
    frames.push_back(item.action.frame);
  }
  REQUIRE(order.size() >= 4);
  h.run({cmd::EditorSelect{order[2]}, cmd::EditorDeleteSelected{}});
  CHECK(h.state.editor.selected == order[3]);  // the row that followed, not #0
  CHECK(h.state.grid_frame == frames[3]);
  // The last row deleted: the selection moves to the row before it.
  h.run({cmd::EditorSelect{order.back()}, cmd::EditorDeleteSelected{}});
  CHECK(h.state.editor.selected == order[order.size() - 2]);
}

TEST_CASE("small windows get the compact layout: the side panels give way to the video") {
  LayoutSettings layout;
  LayoutRects rects = compute_layout(layout, 1264, 682, 290);  // a 1280x720 window
  CHECK(rects.browser_width <= 1264 * 0.2f + 0.5f);
  CHECK(rects.editor_width <= 1264 * 0.26f + 0.5f);
  CHECK(rects.middle_width >= 1264 * 0.5f);
}
