// Rollout scoring units: the bootstrap interval, the sidecar and the frame mapping, the GT
// resize, the relation ranking.
#include <doctest/doctest.h>

#include <cmath>

#include "rsv_eval/bootstrap.hpp"
#include "rsv_eval/eval_report.hpp"
#include "rsv_eval/resample.hpp"
#include "rsv_eval/rollout_store.hpp"

using namespace idm::rsv_eval;

TEST_CASE("bootstrap: a constant sample has a zero-width interval; the interval holds the mean and is seeded") {
  MeanInterval constant = bootstrap_mean({20.0, 20.0, 20.0}, {});
  CHECK(constant.n == 3);
  CHECK(constant.mean == 20.0);
  CHECK(constant.low == 20.0);
  CHECK(constant.high == 20.0);
  std::vector<double> values = {10.3, 12.7, 14.1, 16.9, 18.2, 20.5, 22.05, 24.6, 26.33, 28.71};
  MeanInterval a = bootstrap_mean(values, {2000, 7});
  MeanInterval b = bootstrap_mean(values, {2000, 7});
  MeanInterval c = bootstrap_mean(values, {2000, 8});
  CHECK(a.mean == doctest::Approx(19.439));
  CHECK(a.low < a.mean);
  CHECK(a.high > a.mean);
  CHECK(a.low == b.low);
  CHECK(a.high == b.high);
  CHECK((a.low != c.low || a.high != c.high));
  // Normal approximation: sd of the mean ~ 5.9/sqrt(10) ~ 1.87 (bootstrap: x sqrt(9/10)); 95% ~ +-3.5.
  CHECK(a.high - a.low > 5.5);
  CHECK(a.high - a.low < 8.5);
  CHECK(bootstrap_mean({}, {}).n == 0);
}

TEST_CASE("sidecar and frame mapping: the GT grid by default, another fps, context, explicit step ends") {
  RolloutSidecar grid;
  CHECK(rollout_frame_for(0, grid) == 0);
  CHECK(rollout_frame_for(359, grid) == 359);
  CHECK(rollout_frame_for(8, grid) == 8);
  RolloutSidecar sidecar;
  std::string error;
  REQUIRE(parse_sidecar(R"({"fps": 8, "includes_context": true, "future": 1})", 1, sidecar, error));
  CHECK(sidecar.context_frames == 1);
  CHECK(rollout_frame_for(359, sidecar) == 1 + 180 - 1);  // round(360 * 8/16) - 1 after one context frame
  CHECK(rollout_frame_for(0, sidecar) == 1);
  CHECK(sidecar.document["future"] == 1);
  std::string ends = R"({"step_end_frames": [)";
  for (int k = 0; k < 40; ++k) ends += std::to_string(100 + k) + (k < 39 ? "," : "]}");
  REQUIRE(parse_sidecar(ends, 1, sidecar, error));
  CHECK(rollout_frame_for(359, sidecar) == 139);
  CHECK(rollout_frame_for(8, sidecar) == 100);
  CHECK_FALSE(parse_sidecar(R"({"fps": "16"})", 1, sidecar, error));
  CHECK(error.find("fps") != std::string::npos);
  CHECK_FALSE(parse_sidecar(R"({"step_end_frames": [1, -2]})", 1, sidecar, error));
  CHECK(error.find("step_end_frames/1") != std::string::npos);
  CHECK_FALSE(parse_sidecar("[1]", 1, sidecar, error));
}

TEST_CASE("run names are one safe path component") {
  std::string why;
  CHECK(valid_run_name("model-v2.1_seed3", why));
  CHECK_FALSE(valid_run_name("../x", why));
  CHECK_FALSE(valid_run_name(".hidden", why));
  CHECK_FALSE(valid_run_name("a/b", why));
  CHECK_FALSE(valid_run_name("", why));
}

TEST_CASE("GT resize: centre crop to the aspect, then area average") {
  // 4x2 source: left half 0, right half 200; target 1x1 crops the centre 2x2 (one column of each).
  std::vector<uint8_t> source(4 * 2 * 3, 0);
  for (int y = 0; y < 2; ++y)
    for (int x = 2; x < 4; ++x)
      for (int c = 0; c < 3; ++c) source[(y * 4 + x) * 3 + c] = 200;
  std::vector<uint8_t> out = fit_rgb(source, 4, 2, 1, 1);
  REQUIRE(out.size() == 3);
  CHECK(out[0] == 100);
  std::vector<uint8_t> half = fit_rgb(source, 4, 2, 2, 1);
  CHECK(half[0] == 0);
  CHECK(half[3] == 200);
  CHECK(fit_rgb(source, 4, 2, 4, 2) == source);
}

TEST_CASE("relation ranking: highest first, missing cells left out") {
  CHECK(relation_ranking({{"Inv", 16.63}, {"Loop", 18.76}, {"Equiv", 18.37}}) == "Loop > Equiv > Inv");
  CHECK(relation_ranking({{"Inv", 11.08}, {"Loop", 11.03}, {"Equiv", 13.24}}) == "Equiv > Inv > Loop");
  CHECK(relation_ranking({{"Inv", std::nullopt}, {"Loop", 3.0}}) == "Loop");
  CHECK(relation_ranking({}) == "-");
  CHECK(relation_ranking({{"Inv", 100.0}, {"Loop", 100.0}, {"Equiv", 18.8}}) == "Inv = Loop > Equiv");
}
