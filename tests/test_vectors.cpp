// Every case in tests/vectors (copied verbatim from shared/spec/vectors): the reference
// scorer's real outputs, checked field by field.
#include <doctest/doctest.h>

#include <filesystem>

#include "gt/pipeline.hpp"
#include "io/clip_reader.hpp"
#include "scoring/match.hpp"
#include "scoring/predictions.hpp"
#include "dataset/rescore.hpp"
#include "test_support.hpp"

using namespace idm;
using namespace idm::test;

TEST_CASE("vector copies are identical to the shared spec when it is present") {
  std::filesystem::path shared = std::filesystem::path(IDMSCOPE_VECTORS_DIR) / "../../../shared/spec/vectors";
  if (!std::filesystem::exists(shared)) return;  // CI clones the repo alone
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared)) {
    std::string name = entry.path().filename().string();
    CHECK_MESSAGE(read_text(entry.path().string()) == read_text(vectors_path(name)), name);
    ++compared;
  }
  CHECK(compared >= 8);
}

TEST_CASE("gt_cases: filter and coalesce match the reference") {
  std::string text = read_text(vectors_path("gt_cases.json"));
  SimdDocument document(text);
  nlohmann::json expected_all = nlohmann::json::parse(text);
  size_t index = 0;
  for (simdjson::dom::element item : document.root.get_array()) {
    const nlohmann::json& expected = expected_all[index++];
    std::string name = expected["name"].get<std::string>() + " @fps " + expected["fps"].dump();
    CAPTURE(name);
    ClipLog log;
    log.start_s = expected["start_s"].get<double>();
    decode_actions(item["actions"].value(), "actions", DecodeOptions{}, log);
    CHECK(log.warnings.empty());
    std::vector<Action> filtered = filter_actions(log.events, log.start_s, expected["fps"].get<double>());
    CHECK(actions_json(filtered) == expected["filtered"]);
    CHECK(actions_json(coalesce_actions(filtered)) == expected["coalesced"]);
  }
  CHECK(index == expected_all.size());
  CHECK(index >= 40);
}

TEST_CASE("parse_cases: raw model answers parse like the reference") {
  nlohmann::json cases = load_json(vectors_path("parse_cases.json"));
  REQUIRE(cases.size() >= 10);
  for (const auto& item : cases) {
    std::string text = item["text"].get<std::string>();
    CAPTURE(text);
    CHECK(nlohmann::json::parse(parse_response_text(text)) == item["parsed"]);
  }
}

TEST_CASE("filter_cases: predictions filter like the reference") {
  std::string text = read_text(vectors_path("filter_cases.json"));
  SimdDocument document(text);
  std::vector<RawPrediction> raw;
  decode_predictions(document.root["predictions"].get_array().value(), raw);
  FilteredPredictions filtered = filter_predictions(raw);
  nlohmann::json expected = nlohmann::json::parse(text)["filtered"];
  CHECK(actions_json(filtered.events) == expected);
  CHECK(filtered.malformed == 0);
}

TEST_CASE("match_cases: matched pairs and counts") {
  nlohmann::json cases = load_json(vectors_path("match_cases.json"));
  REQUIRE(cases.size() >= 30);
  for (const auto& item : cases) {
    CAPTURE(item["name"].get<std::string>());
    std::vector<Action> gt = actions_from_json(item["gt"]);
    std::vector<Action> preds = actions_from_json(item["preds"]);
    MatchRules rules;
    rules.tolerance_frames.fill(item["tolerance"].get<int>());
    MatchResult result = match_actions(gt, preds, rules);
    nlohmann::json pairs = nlohmann::json::array();
    for (size_t g = 0; g < gt.size(); ++g) {
      int p = result.prediction_of_gt[g];
      if (p >= 0) pairs.push_back({static_cast<int>(g), p, std::abs(gt[g].frame - preds[static_cast<size_t>(p)].frame)});
    }
    CHECK(pairs == item["matches"]);
    CHECK(result.matched == item["tp"].get<int>());
    CHECK(static_cast<int>(preds.size()) - result.matched == item["fp"].get<int>());
    CHECK(static_cast<int>(gt.size()) - result.matched == item["fn"].get<int>());
  }
}

TEST_CASE("rescore: all six settings, every field") {
  nlohmann::json expected_all = load_json(vectors_path("rescore_expected.json"));
  REQUIRE(expected_all.size() == 6);
  for (auto& item : expected_all.items()) {
    // A named copy: clang 14 rejects a structured binding inside CAPTURE's lambda.
    const std::string setting = item.key();
    nlohmann::json& expected = item.value();
    CAPTURE(setting);
    for (unsigned threads : {1u, 3u}) {
      RescoreReport report;
      std::string error;
      REQUIRE(rescore_results_file(vectors_path("rescore_results.json"), expected["tolerance"].get<int>(),
                                   expected["coalesce"].get<bool>(), threads, report, error));
      CHECK(error.empty());
      nlohmann::json actual = nlohmann::json::parse(rescore_summary_json(report).dump());
      CHECK(actual == expected);
      if (actual != expected) {
        for (auto& [key, value] : expected.items()) {
          if (actual[key] != value) MESSAGE(key << " expected " << value.dump().substr(0, 400) << " got " << actual[key].dump().substr(0, 400));
        }
      }
    }
  }
}
