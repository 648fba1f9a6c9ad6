// Unit tests for idmscope's own [ours] rules (spec §5-§8), one behaviour per case.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "gt/gesture.hpp"
#include "gt/overrides.hpp"
#include "dataset/side_files.hpp"
#include "scoring/evaluate.hpp"
#include "scoring/mouse_metrics.hpp"
#include "scoring/predictions.hpp"
#include "scoring/profile.hpp"
#include "test_support.hpp"

using namespace idm;
using namespace idm::test;

namespace {

std::vector<RawPrediction> decode(const std::string& json) {
  SimdDocument document(json);
  std::vector<RawPrediction> out;
  decode_predictions(document.root.get_array().value(), out);
  return out;
}

RawEvent move_event(double ts_us, double dx, double dy) {
  RawEvent event;
  event.ts_us = ts_us;
  event.kind = EventKind::MouseMove;
  event.payload_valid = true;
  event.x = dx;
  event.y = dy;
  return event;
}

}  // namespace

TEST_CASE("[ours] malformed predictions are dropped and counted before type filtering") {
  auto raw = decode(R"([1, "x", {"frame": 3, "type": "KeyPress", "details": "A"}, {"type": "KeyPress"},
                        {"frame": "F02", "type": "Bogus"}, {"frame": "F02", "type": "KeyPress", "details": "a"},
                        {"frame": "F03", "type": "MouseMove", "details": "12"},
                        {"frame": "F04", "type": "MouseMove", "details": "1.5,-2"}])");
  FilteredPredictions filtered = filter_predictions(raw, {.keep_mouse_move = true});
  CHECK(filtered.malformed == 5);  // 1, "x", frame 3, missing frame, MouseMove "12"
  REQUIRE(filtered.events.size() == 1);
  CHECK(filtered.events[0].detail == "A");
  REQUIRE(filtered.moves.size() == 1);
  CHECK(filtered.moves[0].dx == 1.5);
  CHECK(filtered.moves[0].dy == -2.0);
  // Without MouseMove scoring the bad vector is just another dropped type.
  CHECK(filter_predictions(raw).malformed == 4);
}

TEST_CASE("[ours] signed scroll magnitudes in the protocol profile") {
  auto raw = decode(R"([{"frame": "F1", "type": "MouseScroll", "details": "150"},
                        {"frame": "F1", "type": "MouseScroll", "details": "-40"},
                        {"frame": "F1", "type": "MouseScroll", "details": "+2.5"},
                        {"frame": "F1", "type": "MouseScroll", "details": "1e2"},
                        {"frame": "F1", "type": "MouseScroll", "details": "0"},
                        {"frame": "F1", "type": "MouseScroll", "details": "Up"},
                        {"frame": "F1", "type": "MouseScroll", "details": 7},
                        {"frame": "F1", "type": "MouseScroll", "details": "inf"}])");
  std::vector<std::string> details;
  for (const Action& action : filter_predictions(raw, {.signed_scroll = true}).events) details.push_back(action.detail);
  CHECK(details == std::vector<std::string>{"down", "up", "down", "down", "", "up", "down", ""});
  details.clear();
  for (const Action& action : filter_predictions(raw).events) details.push_back(action.detail);
  CHECK(details == std::vector<std::string>{"", "", "", "", "", "up", "", ""});  // the reference
}

TEST_CASE("[ours] overrides: edits, deletions as a set, additions labelled N+k, warnings") {
  std::vector<Action> canonical = {{1, ActionType::KeyPress, "A"}, {2, ActionType::KeyPress, "B"}, {3, ActionType::MouseClick, "Left"}};
  auto json = nlohmann::ordered_json::parse(R"({
    "edits": {"1": "Cmd+B", "7": "X", "x": "Y"},
    "deletions": [0, "0", 9, -1],
    "additions": [{"frame": "F02", "type": "MouseScroll", "details": "down"},
                  {"frame": 1, "type": "Teleport", "detail": "?"},
                  {"frame": 0, "type": "KeyPress", "detail": "Z"}]})");
  ClipOverrides overrides = parse_clip_overrides(json, "gt_overrides.json: $[\"k\"]");
  REQUIRE(overrides.warnings.size() == 1);
  CHECK(overrides.warnings[0].find("additions[1]") != std::string::npos);
  CHECK(overrides.warnings[0].find("Teleport") != std::string::npos);
  OverriddenGt result = apply_overrides(canonical, &overrides);
  CHECK(result.index_warnings == 4);  // edit 7, edit "x", deletion 9, deletion -1
  REQUIRE(result.items.size() == 4);
  // Stable-sorted by (frame, type): Z@0 (N+2), Cmd+B@2 (edited 1), scroll@2 (N+0), click@3.
  CHECK(result.items[0].action == Action{0, ActionType::KeyPress, "Z"});
  CHECK(result.items[0].label_index == 5);
  CHECK(result.items[0].provenance == Provenance::Added);
  CHECK(result.items[1].action == Action{2, ActionType::KeyPress, "Cmd+B"});
  CHECK(result.items[1].label_index == 1);
  CHECK(result.items[1].provenance == Provenance::Edited);
  CHECK(result.items[2].action == Action{2, ActionType::MouseScroll, "down"});
  CHECK(result.items[2].label_index == 3);
  CHECK(result.items[3].label_index == 2);
  CHECK(result.deleted == std::vector<bool>{true, false, false});
  CHECK(result.canonical_count + result.addition_count == 6);
}

TEST_CASE("[ours] labels: range N+K, unknown values count as unlabelled with a warning") {
  std::vector<std::string> warnings;
  auto json = nlohmann::ordered_json::parse(R"({"0": "visible", "4": "inferable", "5": "ambiguous", "x": "visible",
                                               "1": "seen", "2": 3, "3": "not_predictable"})");
  ClipLabels labels = parse_clip_labels(json, "annotations.json", warnings);
  CHECK(warnings.empty());
  ResolvedLabels resolved = resolve_labels(&labels, 5);
  CHECK(resolved.index_warnings == 2);  // "5" out of 0..4, "x" not an integer
  CHECK(resolved.warnings.size() == 4);  // plus "seen" and 3
  CHECK(resolved.by_label_index[0] == Visibility::Visible);
  CHECK_FALSE(resolved.by_label_index[1].has_value());
  CHECK_FALSE(resolved.by_label_index[2].has_value());
  CHECK(resolved.by_label_index[3] == Visibility::NotPredictable);
  CHECK(resolved.by_label_index[4] == Visibility::Inferable);
}

TEST_CASE("[ours] side files keep their raw JSON: unknown keys and unknown clips survive") {
  auto directory = std::filesystem::temp_directory_path() / ("idmscope-side-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  std::string text = R"({"zeta/clip_1": {"3": "visible", "note": "kept"}, "alpha/clip_0": {"edits": {}, "extra": [1, 2]},
                         "version": 2})";
  std::ofstream(directory / "annotations.json") << text;
  AnnotationsFile annotations;
  std::string error;
  REQUIRE(read_annotations(directory / "annotations.json", annotations, error));
  CHECK(annotations.present);
  CHECK(annotations.raw == nlohmann::ordered_json::parse(text));
  CHECK(annotations.raw.begin().key() == "zeta/clip_1");  // file order kept, not sorted
  CHECK_FALSE(annotations.warnings.empty());  // "version": 2 is not a clip object: reported
  AnnotationsFile missing;
  CHECK(read_annotations(directory / "nope.json", missing, error));
  CHECK_FALSE(missing.present);
  std::ofstream(directory / "bad.json") << "[1, 2]";
  CHECK_FALSE(read_annotations(directory / "bad.json", missing, error));
  CHECK(error.find("expected an object keyed by clip") != std::string::npos);
  std::filesystem::remove_all(directory);
}

TEST_CASE("[ours] §8: a frame with moves is a movement frame even when it rounds to zero") {
  ClipLog log;
  log.start_s = 10.0;
  log.events = {move_event(10.2e6, 0.1, 0.1), move_event(10.41e6, 17.28, -10.8), move_event(10.39e6, 17.28, 0.0),
                move_event(9.0e6, 500, 500)};  // the last one is before the clip: dropped
  GestureGt gesture = compute_gesture_gt(log, 1728, 1080, 5.0);
  REQUIRE(gesture.moves.size() == 2);
  CHECK(gesture.moves[0].frame == 1);
  CHECK(gesture.moves[0].nx == 0);
  CHECK(gesture.moves[0].ny == 0);
  CHECK(gesture.moves[1].frame == 2);
  CHECK(gesture.moves[1].nx == 20);  // (17.28 + 17.28) / 1728 * 1000
  CHECK(gesture.moves[1].ny == -10);
  CHECK(exp_bin(0) == 0);
  CHECK(exp_bin(1) == 1);
  CHECK(exp_bin(-2) == -2);
  CHECK(exp_bin(550) == 8);
  CHECK(exp_bin(551) == 9);
  CHECK(exp_bin(-100000) == -9);
}

TEST_CASE("[ours] §8 metrics: undefined values are null, extra vectors are false positives") {
  MouseFrameSet empty;
  MouseMetrics none = compute_mouse_metrics(empty);
  CHECK(none.frames == 0);
  CHECK_FALSE(none.frame_f1.has_value());
  CHECK_FALSE(none.r2.has_value());
  CHECK_FALSE(none.l2.has_value());

  MouseFrameSet set;
  set.frames.push_back({3, true, 100, 0, true, 50.0, 0.0});
  set.frames.push_back({4, true, -100, 0, false, 0, 0});
  set.extra_predictions = 1;
  MouseMetrics metrics = compute_mouse_metrics(set);
  CHECK(metrics.tp == 1);
  CHECK(metrics.fp == 1);
  CHECK(metrics.fn == 1);
  CHECK(*metrics.frame_f1 == doctest::Approx(0.5));
  CHECK(*metrics.cosine == doctest::Approx(1.0));
  CHECK(*metrics.dir_acc == doctest::Approx(1.0));
  // R² = 1 - (50² + 100²) / (100² + 100²) with mean 0.
  CHECK(*metrics.r2 == doctest::Approx(1.0 - 12500.0 / 20000.0));
}

TEST_CASE("[ours] profiles: the shipped ones load, bad ones say which field is wrong") {
  ScoringProfile protocol, reference;
  std::string error;
  REQUIRE(load_profile("protocol", protocol, error));
  REQUIRE(load_profile("reference", reference, error));
  CHECK(protocol.tolerance_frames[static_cast<size_t>(ActionType::KeyPress)] == 5);
  CHECK(protocol.tolerance_frames[static_cast<size_t>(ActionType::MouseScroll)] == 0);
  CHECK(protocol.scored[static_cast<size_t>(ActionType::MouseMove)]);
  CHECK(protocol.windows.has_value());
  CHECK(protocol.excluded[static_cast<size_t>(Visibility::NotPredictable)]);
  CHECK_FALSE(protocol.excluded[static_cast<size_t>(Visibility::Inferable)]);
  CHECK_FALSE(reference.windows.has_value());
  CHECK_FALSE(reference.apply_overrides);
  CHECK_FALSE(reference.scored[static_cast<size_t>(ActionType::MouseMove)]);

  ScoringProfile bad;
  CHECK_FALSE(parse_profile(R"({"tolerance": {"KeyPres": 2}})", bad, error));
  CHECK(error.find("KeyPres") != std::string::npos);
  CHECK_FALSE(parse_profile(R"({"windows": {"size": 10, "stride": 5, "keep_first": 8, "keep_last": 7}})", bad, error));
  CHECK(error.find("keep_first") != std::string::npos);
  CHECK_FALSE(parse_profile(R"({"excluded_labels": ["invisible"]})", bad, error));
  CHECK_FALSE(parse_profile("{", bad, error));
  CHECK(error.find("line 1") != std::string::npos);
  CHECK_FALSE(load_profile("does-not-exist", bad, error));
}

TEST_CASE("[ours] visibility: matched excluded GT is neutral, unmatched excluded GT is not an FN") {
  ClipLog log;
  log.start_s = 0;
  auto key = [](double ts, EventKind kind, const char* name) {
    RawEvent event;
    event.ts_us = ts;
    event.kind = kind;
    event.payload_valid = true;
    event.name = name;
    return event;
  };
  // A at frame 5, B at frame 10, C at frame 15 (each released one frame later).
  log.events = {key(1.0e6, EventKind::KeyPress, "KeyA"), key(1.2e6, EventKind::KeyRelease, "KeyA"),
                key(2.0e6, EventKind::KeyPress, "KeyB"), key(2.2e6, EventKind::KeyRelease, "KeyB"),
                key(3.0e6, EventKind::KeyPress, "KeyC"), key(3.2e6, EventKind::KeyRelease, "KeyC")};
  std::vector<std::string> warnings;
  ClipLabels labels = parse_clip_labels(nlohmann::ordered_json::parse(R"({"0": "not_predictable", "1": "ambiguous"})"), "l", warnings);
  auto predictions = decode(R"([{"frame": "F05", "type": "KeyPress", "details": "a"}])");
  ScoringProfile profile;
  std::string error;
  REQUIRE(load_profile("protocol", profile, error));
  ClipEvaluationInput input;
  input.log = &log;
  input.labels = &labels;
  input.predictions = &predictions;
  ClipEvaluation result = evaluate_clip(input, profile);
  const Counts& keys = result.by_type[static_cast<size_t>(ActionType::KeyPress)];
  CHECK(keys.neutral == 1);  // A matched but not_predictable
  CHECK(keys.tp == 0);
  CHECK(keys.fp == 0);
  CHECK(keys.fn == 1);       // C (unlabelled counts as visible); B is ambiguous, excluded
  CHECK(result.gt[0].outcome == Outcome::Neutral);
  CHECK(result.gt[1].outcome == Outcome::Excluded);
  CHECK(result.gt[2].outcome == Outcome::FalseNegative);
  CHECK(result.predictions[0].outcome == Outcome::Neutral);
}
