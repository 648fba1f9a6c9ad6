// protocol_cases.json: the [ours] rules of spec §5, §7 and §8 under the protocol profile.
#include <doctest/doctest.h>

#include <cmath>

#include "io/clip_reader.hpp"
#include "dataset/side_files.hpp"
#include "scoring/evaluate.hpp"
#include "scoring/predictions.hpp"
#include "scoring/profile.hpp"
#include "test_support.hpp"

using namespace idm;
using namespace idm::test;

namespace {

void check_metric(const char* name, const std::optional<double>& actual, const nlohmann::json& expected) {
  CAPTURE(name);
  if (expected.is_null()) {
    CHECK_FALSE(actual.has_value());
    return;
  }
  REQUIRE(actual.has_value());
  double want = expected.get<double>();
  CHECK(std::fabs(*actual - want) <= 1e-9 * std::max(1.0, std::fabs(want)));
}

void check_mouse(const MouseMetrics& mouse, const nlohmann::json& expected) {
  CHECK(mouse.frames == expected["frames"].get<int64_t>());
  check_metric("frame_f1", mouse.frame_f1, expected["frame_f1"]);
  check_metric("r2", mouse.r2, expected["r2"]);
  check_metric("cosine", mouse.cosine, expected["cosine"]);
  check_metric("l2", mouse.l2, expected["l2"]);
  check_metric("dir_acc", mouse.dir_acc, expected["dir_acc"]);
}

}  // namespace

TEST_CASE("protocol_cases: counts, neutral, mouse metrics and warnings") {
  std::string text = read_text(vectors_path("protocol_cases.json"));
  SimdDocument document(text);
  nlohmann::ordered_json all = nlohmann::ordered_json::parse(text);
  ScoringProfile profile;
  std::string error;
  REQUIRE_MESSAGE(load_profile(all["profile"].get<std::string>(), profile, error), error);
  REQUIRE(all["cases"].size() >= 10);

  MouseFrameSet pooled;
  size_t index = 0;
  for (simdjson::dom::element item : document.root["cases"].get_array()) {
    const auto& expected_case = all["cases"][index++];
    CAPTURE(expected_case["clip_name"].get<std::string>());
    ClipLog log;
    log.start_s = expected_case["start_s"].get<double>();
    decode_actions(item["actions"].value(), "actions", DecodeOptions{}, log);
    std::vector<std::string> label_warnings;
    ClipLabels labels = parse_clip_labels(expected_case["labels"], "labels", label_warnings);
    ClipOverrides overrides = parse_clip_overrides(expected_case["overrides"], "overrides");
    std::vector<RawPrediction> predictions;
    decode_predictions(item["predictions"].get_array().value(), predictions);

    ClipEvaluationInput input;
    input.log = &log;
    input.labels = &labels;
    input.overrides = &overrides;
    input.predictions = &predictions;
    input.grid_frames = expected_case["n_frames"].get<int>();
    input.width = expected_case["width"].get<int>();
    input.height = expected_case["height"].get<int>();
    ClipEvaluation result = evaluate_clip(input, profile);

    const auto& expected = expected_case["expected"];
    for (const auto& item : expected["per_type"].items()) {
      // A named copy: clang 14 rejects a structured binding inside CAPTURE's lambda.
      const std::string type_name = item.key();
      const auto& counts = item.value();
      CAPTURE(type_name);
      ActionType type;
      REQUIRE(parse_action_type(type_name, type));
      const Counts& actual = result.by_type[static_cast<size_t>(type)];
      CHECK(actual.tp == counts["tp"].get<int64_t>());
      CHECK(actual.fp == counts["fp"].get<int64_t>());
      CHECK(actual.fn == counts["fn"].get<int64_t>());
      CHECK(actual.neutral == counts["neutral"].get<int64_t>());
    }
    check_mouse(result.mouse, expected["mouse"]);
    CHECK(result.index_warnings == expected["warnings"].get<int>());
    pooled.append(result.mouse_frames);
  }
  check_mouse(compute_mouse_metrics(pooled), all["pooled_mouse"]);
}

TEST_CASE("windows: starts and kept frames follow the spec's examples") {
  WindowSpec spec;
  CHECK(window_starts(25, spec) == std::vector<int>{0, 5, 10, 15});
  CHECK(window_starts(24, spec) == std::vector<int>{0, 5, 10, 14});
  CHECK(window_starts(26, spec) == std::vector<int>{0, 5, 10, 15, 16});
  CHECK(window_starts(7, spec) == std::vector<int>{0});
  std::vector<bool> kept = kept_frames(25, spec);
  for (int f = 0; f < 25; ++f) CHECK_MESSAGE(kept[static_cast<size_t>(f)] == (f >= 2 && f <= 22), f);
  // 24 frames: windows 0,5,10,14 keep 2..7, 7..12, 12..17, 16..21 -> 2..21.
  kept = kept_frames(24, spec);
  for (int f = 0; f < 24; ++f) CHECK_MESSAGE(kept[static_cast<size_t>(f)] == (f >= 2 && f <= 21), f);
  // Short clip: one window at 0 keeps the local frames 2..7 that exist.
  kept = kept_frames(5, spec);
  CHECK(kept == std::vector<bool>{false, false, true, true, true});
  CHECK(owning_window(7, 25, spec) == 0);   // the earlier window wins frame 7
  CHECK(owning_window(8, 25, spec) == 1);
  CHECK(owning_window(23, 25, spec) == -1);
}
