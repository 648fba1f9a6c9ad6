// The _meta.json reader (every rule of rsv.md §2 gives a diagnostic with file and pointer),
// and Layer 1 on in-memory trajectories.
#include <doctest/doctest.h>

#include <algorithm>

#include "rsv/layer1.hpp"
#include "rsv/meta.hpp"
#include "rsv_test_support.hpp"

using namespace idm::rsv;
using Json = nlohmann::ordered_json;

namespace {

const std::vector<std::string> kPath = {"move_right", "turn_right", "look_down", "move_forward", "move_forward",
                                        "turn_left",  "move_left",  "look_down", "move_backward", "turn_right", "move_forward"};

struct Read {
  RsvMeta meta;
  std::vector<Diagnostic> diagnostics;
  bool has(Severity severity, const std::string& pointer, const std::string& text) const {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
      return d.severity == severity && d.pointer == pointer && d.message.find(text) != std::string::npos && d.file == "x_meta.json";
    });
  }
  int errors() const {
    return static_cast<int>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
  }
  std::string all() const {
    std::string text;
    for (const Diagnostic& d : diagnostics) text += std::string(1, severity_letter(d.severity)) + " " + diagnostic_line(d) + "\n";
    return text;
  }
};

Read read(const std::string& text, int64_t tid = 7, const std::string& relation = "inverse", char role = 0) {
  static const Conventions table = test::shipped_table();
  MetaExpectations expect;
  expect.tid = tid;
  expect.relation = relation;
  expect.name_role = role;
  expect.conventions = &table;
  Read out;
  out.meta = read_meta_text(text, "x_meta.json", expect, out.diagnostics);
  return out;
}

Json good() { return test::make_meta(test::a_then_inverse(kPath), test::shipped_table()); }

}  // namespace

TEST_CASE("meta: a complete file reads without errors and keeps unknown keys") {
  Json meta = good();
  meta["scene_name"] = "Warehouse_03";
  meta["steps"][0]["lighting"] = {{"lux", 300}};
  Read result = read(meta.dump(2));
  INFO(result.all());
  CHECK(result.errors() == 0);
  CHECK(result.meta.steps_valid);
  CHECK(result.meta.steps.size() == 40);
  CHECK(result.meta.root->rotation_deg.y == 240.0);
  CHECK(result.meta.document["scene_name"] == "Warehouse_03");
  CHECK(result.meta.document["steps"][0]["lighting"]["lux"] == 300);
  // The depth modality is listed but not shipped: a note, later (the release scan knows the files).
  CHECK(result.has(Severity::Note, "", "") == false);
}

TEST_CASE("meta: not JSON (Python's NaN) names line and column") {
  std::string text = good().dump(2);
  size_t at = text.find("\"collision_displacement\": 0.0");
  REQUIRE(at != std::string::npos);
  text.replace(at, 29, "\"collision_displacement\": NaN");
  Read result = read(text);
  CHECK(result.errors() == 1);
  CHECK(result.has(Severity::Error, "", "not JSON at line "));
  CHECK(result.all().find("column") != std::string::npos);
  CHECK_FALSE(result.meta.parsed);
  CHECK(read("").errors() == 1);
  CHECK(read("{\"trajectory_id\": 7,").has(Severity::Error, "", "not JSON"));
  CHECK(read("[1, 2]").has(Severity::Error, "", "expected a JSON object"));
}

TEST_CASE("meta: a number too large for a double is an error, not an exception (found by fuzz_rsv_meta)") {
  std::string text = good().dump();
  size_t at = text.find("\"fov\":79.0");
  REQUIRE(at != std::string::npos);
  text.replace(at, 10, "\"fov\":1e999");
  Read result = read(text);
  CHECK(result.errors() == 1);
  CHECK(result.has(Severity::Error, "", "not JSON"));
  CHECK(result.all().find("1e999") != std::string::npos);
}

TEST_CASE("meta: the card's \"...\" placeholder is an error that says so") {
  Json meta = good();
  meta["action_sequence"][3] = "...";
  meta["collision_mask"][2] = "...";
  meta["steps"][4]["start_pos"] = "...";
  Read result = read(meta.dump());
  CHECK(result.has(Severity::Error, "action_sequence/3", "placeholder \"...\""));
  CHECK(result.has(Severity::Error, "collision_mask/2", "placeholder \"...\""));
  CHECK(result.has(Severity::Error, "steps/4/start_pos", "placeholder"));
  CHECK_FALSE(result.meta.steps_valid);
}

TEST_CASE("meta: every field rule gives its severity and pointer") {
  struct Case {
    const char* name;
    void (*damage)(Json&);
    Severity severity;
    const char* pointer;
    const char* text;
  };
  const Case cases[] = {
      {"tid differs", [](Json& m) { m["trajectory_id"] = 8; }, Severity::Error, "trajectory_id", "file name says traj_7"},
      {"tid not an int", [](Json& m) { m["trajectory_id"] = "7"; }, Severity::Error, "trajectory_id", "expected an integer"},
      {"type vs split", [](Json& m) { m["trajectory_type"] = "loop"; }, Severity::Error, "trajectory_type", "in a inverse split"},
      {"type unknown", [](Json& m) { m["trajectory_type"] = "spiral"; }, Severity::Error, "trajectory_type", "expected"},
      {"data_type missing", [](Json& m) { m.erase("data_type"); }, Severity::Note, "data_type", "missing"},
      {"paired flag", [](Json& m) { m["paired_trajectory"]["is_paired"] = true; }, Severity::Error, "paired_trajectory/is_paired", "not an equivalence"},
      {"collision count", [](Json& m) { m["collision_count"] = 2; }, Severity::Error, "collision_count", "collision_mask has 0"},
      {"has_collision", [](Json& m) { m["has_collision"] = true; }, Severity::Error, "has_collision", "record 0 collisions"},
      {"mask vs steps", [](Json& m) { m["collision_mask"][3] = 1; }, Severity::Error, "steps/3/collision", "collision_mask/3 is 1"},
      {"total_steps", [](Json& m) { m["total_steps"] = 41; }, Severity::Error, "action_sequence", "total_steps says 41"},
      {"frames product", [](Json& m) { m["total_frames"] = 350; }, Severity::Error, "total_frames", "total_steps x frames_per_step"},
      {"frames card", [](Json& m) { m["frames_per_step"] = 8; }, Severity::Warning, "frames_per_step", "the card says 9"},
      {"resolution", [](Json& m) { m["render_config"]["resolution"] = "1280x720"; }, Severity::Error, "render_config/resolution", "[width, height]"},
      {"fov", [](Json& m) { m["render_config"]["fov"] = 90.0; }, Severity::Warning, "render_config/fov", "79.0"},
      {"root", [](Json& m) { m["root_state"]["rotation"] = {0, 240}; }, Severity::Error, "root_state/rotation", "3 numbers"},
      {"unknown action", [](Json& m) { m["action_sequence"][1] = "jump"; }, Severity::Error, "action_sequence/1", "unknown action \"jump\""},
      {"step index", [](Json& m) { m["steps"][2]["step"] = 3; }, Severity::Error, "steps/2/step", "expected 2"},
      {"step action", [](Json& m) { m["steps"][2]["action"] = "no_op"; }, Severity::Error, "steps/2/action", "action_sequence/2"},
      {"missing field", [](Json& m) { m["steps"][5].erase("expected_end_pos"); }, Severity::Error, "steps/5/expected_end_pos", "missing"},
      {"negative displacement", [](Json& m) { m["steps"][6]["collision_displacement"] = -1.0; }, Severity::Error, "steps/6/collision_displacement", "negative"},
      {"action id", [](Json& m) { m["steps"][0]["action_id"] = 4; }, Severity::Warning, "steps/0/action_id", "table says 3"},
      {"frame_dir", [](Json& m) { m["steps"][0].erase("frame_dir"); }, Severity::Note, "steps", "no frame_dir"},
      {"fps", [](Json& m) { m["video_encoding"]["fps"] = "16"; }, Severity::Error, "video_encoding/fps", "a number"},
      {"encoding size", [](Json& m) { m["video_encoding"]["resolution"] = "big"; }, Severity::Error, "video_encoding/resolution", "WIDTHxHEIGHT"},
      {"crf", [](Json& m) { m["video_encoding"].erase("crf"); }, Severity::Note, "video_encoding/crf", "missing"},
      {"steps not a list", [](Json& m) { m["steps"] = {{"a", 1}}; }, Severity::Error, "steps", "step records"},
      {"a collision", [](Json& m) { m["steps"][3]["collision"] = true; m["collision_mask"][3] = 1; m["collision_count"] = 1; m["has_collision"] = true; },
       Severity::Warning, "steps/3/collision", "collision-free"},
  };
  for (const Case& c : cases) {
    Json meta = good();
    c.damage(meta);
    Read result = read(meta.dump());
    INFO(c.name << "\n" << result.all());
    CHECK(result.has(c.severity, c.pointer, c.text));
  }
}

TEST_CASE("meta: pair roles against the name") {
  Json meta = test::make_meta(test::padded({"move_forward"}), test::shipped_table(), 7, "equivalence");
  meta["paired_trajectory"] = {{"is_paired", true}, {"role", "path_B"}, {"primary_trajectory_id", 6}, {"partner_trajectory_id", 6}};
  Read as_b = read(meta.dump(), 7, "equivalence", 'B');
  INFO(as_b.all());
  CHECK(as_b.errors() == 0);
  Read as_a = read(meta.dump(), 7, "equivalence", 'A');
  CHECK(as_a.has(Severity::Error, "paired_trajectory/role", "file name says _A_"));
  meta["paired_trajectory"].erase("partner_trajectory_id");
  CHECK(read(meta.dump(), 7, "equivalence", 'B').has(Severity::Error, "paired_trajectory/partner_trajectory_id", "missing"));
  meta["paired_trajectory"] = {{"is_paired", false}};
  CHECK(read(meta.dump(), 7, "equivalence", 'B').has(Severity::Error, "paired_trajectory/is_paired", "one half of a pair"));
}

TEST_CASE("layer 1: an exact inverse passes, drift below 1 cm passes, 1.5 cm fails") {
  Conventions table = test::shipped_table();
  Read exact = read(good().dump());
  Layer1Result pass = layer1_single(exact.meta, table);
  REQUIRE(pass.pass);
  CHECK(*pass.pass);
  CHECK(pass.closure_residual_cm < 0.2);
  CHECK(pass.closure_residual_deg < 1e-6);
  Read small = read(test::make_meta(test::a_then_inverse(kPath), table, 7, "inverse", 3, 0.8).dump());
  Layer1Result small_result = layer1_single(small.meta, table);
  INFO(small_result.reason);
  CHECK(small_result.pass == true);
  CHECK(small_result.max_step_deviation_cm == doctest::Approx(0.8).epsilon(0.15));
  Read big = read(test::make_meta(test::a_then_inverse(kPath), table, 7, "inverse", 3, 1.5).dump());
  Layer1Result fail = layer1_single(big.meta, table);
  CHECK(fail.pass == false);
  CHECK(fail.worst_step >= 3);
  CHECK(fail.worst_step <= 4);
  CHECK(fail.reason.find("1 cm") != std::string::npos);
  // Not reversed: the closure misses.
  std::vector<std::string> doubled = kPath;
  doubled.insert(doubled.end(), kPath.begin(), kPath.end());
  Layer1Result open = layer1_single(read(test::make_meta(test::padded(doubled), table).dump()).meta, table);
  CHECK(open.pass == false);
  CHECK(open.closure_residual_cm > 50.0);
  CHECK(open.reason.find("misses the root") != std::string::npos);
  // A turn that the table disagrees with: actual_end_rot off by 15 degrees.
  Json turned = good();
  turned["steps"][1]["actual_end_rot"][1] = turned["steps"][1]["start_rot"][1].get<double>();
  Layer1Result rotation = layer1_single(read(turned.dump()).meta, table);
  CHECK(rotation.pass == false);
  CHECK(rotation.reason.find("actual_end_rot") != std::string::npos);
  // Errors stop Layer 1: no verdict.
  Json broken = good();
  broken["steps"][5].erase("actual_end_pos");
  CHECK_FALSE(layer1_single(read(broken.dump()).meta, table).pass.has_value());
}
