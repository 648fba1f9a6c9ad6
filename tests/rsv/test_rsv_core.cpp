// Reasoning-Structured Videos: file-name grammar, kinematics, angle wrapping, inverse
// sequences, structure detection, frame phases and PSNR/SSIM on analytic images.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "rsv/frames.hpp"
#include "rsv/image_metrics.hpp"
#include "rsv/names.hpp"
#include "rsv/structure.hpp"
#include "rsv_test_support.hpp"

using namespace idm::rsv;

TEST_CASE("grammar: single trajectory names and their suffixes") {
  std::string why;
  auto video = parse_rsv_name("run_20250101_120000__traj_101.mp4", why);
  REQUIRE(video);
  CHECK(video->kind == FileKind::Video);
  CHECK(video->run == "20250101_120000");
  CHECK(video->tid == 101);
  CHECK_FALSE(video->is_pair);
  CHECK(video->stem == "run_20250101_120000__traj_101");
  auto meta = parse_rsv_name("run_20250101_120000__traj_101_meta.json", why);
  REQUIRE(meta);
  CHECK(meta->kind == FileKind::Meta);
  CHECK(meta->stem == video->stem);
  auto depth = parse_rsv_name("run_20250101_120000__traj_101_depth.mp4", why);
  REQUIRE(depth);
  CHECK(depth->kind == FileKind::Modality);
  CHECK(depth->modality == "depth");
  CHECK(depth->stem == video->stem);
}

TEST_CASE("grammar: pair names give the pair, the role and the TID") {
  std::string why;
  auto b = parse_rsv_name("run_7__pair_12_B_traj_25_meta.json", why);
  REQUIRE(b);
  CHECK(b->is_pair);
  CHECK(b->pair_id == "12");
  CHECK(b->role == 'B');
  CHECK(b->tid == 25);
  CHECK(b->stem == "run_7__pair_12_B_traj_25");
  CHECK(b->pair_stem() == "run_7__pair_12");
  auto a = parse_rsv_name("run_7__pair_12_A_traj_24.mp4", why);
  REQUIRE(a);
  CHECK(a->pair_stem() == b->pair_stem());
  CHECK(a->role == 'A');
}

TEST_CASE("grammar: odd names") {
  std::string why;
  // The run may itself contain "__": split at the last one.
  auto nested = parse_rsv_name("run_a__b__traj_5.mp4", why);
  REQUIRE(nested);
  CHECK(nested->run == "a__b");
  // A pair id with an underscore still parses from the right.
  auto pid = parse_rsv_name("run_x__pair_3_7_A_traj_9.mp4", why);
  REQUIRE(pid);
  CHECK(pid->pair_id == "3_7");
  for (const char* bad : {"traj_5.mp4", "run___traj_5.mp4", "run_x__traj_abc.mp4", "run_x__pair_9_C_traj_1.mp4",
                          "run_x__pair_A_traj_1.mp4", "notes.txt", "run_x__traj_5_depth_meta.json", "run_x__clip_5.mp4",
                          "run_x__traj_.mp4", "run_x__traj_5_.mp4"}) {
    why.clear();
    CHECK_MESSAGE(!parse_rsv_name(bad, why), bad);
    CHECK_MESSAGE(!why.empty(), bad);
  }
}

TEST_CASE("kinematics: the card's example step") {
  Conventions table = test::shipped_table();
  // psi = -120 deg, move_right: (-2490, 1200, 400) -> (-2403.4, 1150, 400).
  for (double yaw : {-120.0, 240.0}) {
    Pose start{{-2490.0, 1200.0, 400.0}, {0.0, yaw, 0.0}};
    Pose end = apply_action(start, *table.find("move_right"));
    CHECK(test::tenth(end.position_cm.x) == doctest::Approx(-2403.4));
    CHECK(end.position_cm.y == doctest::Approx(1150.0));
    CHECK(end.position_cm.z == doctest::Approx(400.0));
    CHECK(std::fabs(end.position_cm.x - (-2490.0 + 86.6025)) < 1e-3);
  }
  CHECK(table.find("move_right")->id == 3);
  // Moves are planar: pitch does not tilt them.
  Pose tilted{{0, 0, 0}, {15.0, 0.0, 0.0}};
  Pose moved = apply_action(tilted, *table.find("move_forward"));
  CHECK(moved.position_cm.x == doctest::Approx(100.0));
  CHECK(moved.position_cm.z == doctest::Approx(0.0));
  Pose turned = apply_action(tilted, *table.find("turn_right"));
  CHECK(turned.rotation_deg.y == doctest::Approx(15.0));
  CHECK(apply_action(tilted, *table.find("look_down")).rotation_deg.x == doctest::Approx(7.5));
}

TEST_CASE("angles wrap to (-180, 180]") {
  CHECK(wrap_degrees(240.0) == doctest::Approx(-120.0));
  CHECK(wrap_degrees(-180.0) == doctest::Approx(180.0));
  CHECK(wrap_degrees(180.0) == doctest::Approx(180.0));
  CHECK(wrap_degrees(540.0) == doctest::Approx(180.0));
  CHECK(wrap_degrees(-190.0) == doctest::Approx(170.0));
  CHECK(wrap_degrees(360.0) == doctest::Approx(0.0));
  CHECK(wrap_degrees(-345.0) == doctest::Approx(15.0));
  CHECK(std::fabs(wrap_degrees(0.0)) == 0.0);
}

TEST_CASE("inverse sequences undo the path") {
  Conventions table = test::shipped_table();
  std::vector<std::string> a = {"move_forward", "turn_left", "look_up", "move_right", "turn_left", "move_backward", "no_op"};
  std::vector<std::string> inverse = inverse_sequence(a);
  CHECK(inverse == std::vector<std::string>{"no_op", "move_forward", "turn_right", "move_left", "look_down", "turn_right", "move_backward"});
  Pose root{{-2490.0, 1200.0, 400.0}, {0.0, 240.0, 0.0}};
  Pose pose = root;
  for (const std::string& name : a) pose = apply_action(pose, *table.find(name));
  CHECK(distance_cm(pose.position_cm, root.position_cm) > 100.0);
  for (const std::string& name : inverse) pose = apply_action(pose, *table.find(name));
  CHECK(distance_cm(pose.position_cm, root.position_cm) < 1e-9);
  CHECK(std::fabs(wrap_degrees(pose.rotation_deg.y - root.rotation_deg.y)) < 1e-9);
  CHECK(inverse_action("no_op") == "no_op");
  CHECK(inverse_action("fly").empty());
}

TEST_CASE("structure: K and padding of an inverse") {
  std::vector<std::string> a = {"move_forward", "move_forward", "turn_left", "move_right", "turn_right", "turn_right",
                                "move_left",    "look_up",      "move_forward", "turn_left", "move_backward", "move_forward"};
  InverseStructure at_end = inverse_structure(test::a_then_inverse(a));
  CHECK(at_end.matches);
  CHECK(at_end.k == 12);
  CHECK(at_end.pad_steps == 16);
  CHECK(at_end.padding == "end");
  std::vector<std::string> between = a;
  for (int i = 0; i < 16; ++i) between.push_back("no_op");
  for (const std::string& name : inverse_sequence(a)) between.push_back(name);
  InverseStructure middle = inverse_structure(between);
  CHECK(middle.matches);
  CHECK(middle.k == 12);
  CHECK(middle.padding == "between");
  std::vector<std::string> doubled = a;
  doubled.insert(doubled.end(), a.begin(), a.end());
  CHECK_FALSE(inverse_structure(test::padded(doubled)).matches);
}

TEST_CASE("structure: polygons of loops and constructions of pairs") {
  Conventions table = test::shipped_table();
  auto polygon = [](int sides, int leg, int turns, const char* turn) {
    std::vector<std::string> out;
    for (int s = 0; s < sides; ++s) {
      for (int i = 0; i < leg; ++i) out.push_back("move_forward");
      for (int i = 0; i < turns; ++i) out.push_back(turn);
    }
    return test::padded(out);
  };
  CHECK(loop_structure(polygon(4, 2, 6, "turn_right"), table).shape == "rectangle");
  CHECK(loop_structure(polygon(3, 3, 8, "turn_left"), table).shape == "triangle");
  CHECK(loop_structure(polygon(6, 1, 4, "turn_right"), table).shape == "hexagon");
  std::vector<std::string> back_and_forth = test::padded({"move_forward", "move_forward", "turn_left", "look_up", "look_down",
                                                          "turn_right", "move_backward", "move_backward"});
  CHECK(loop_structure(back_and_forth, table).shape == "return");
  std::vector<std::string> a = {"move_forward", "move_left", "turn_left", "look_up", "move_right", "move_forward"};
  std::vector<std::string> shuffled = {"move_left", "move_forward", "look_up", "turn_left", "move_forward", "move_right"};
  CHECK(pair_structure(test::padded(a), test::padded(shuffled), table).construction == "commutative-shuffle");
  // Translations alone commute (a shuffle); the self-inverse rotation pairs in other slots make it stage 2.
  std::vector<std::string> l_shape = {"move_forward", "move_forward", "move_forward", "turn_left", "turn_right",
                                      "move_right",   "move_right",   "move_right"};
  std::vector<std::string> zigzag = {"move_forward", "move_right",   "turn_left",  "turn_right",
                                     "move_forward", "move_right", "move_forward", "move_right"};
  CHECK(pair_structure(test::padded(l_shape), test::padded(zigzag), table).construction == "l-vs-zigzag");
  CHECK(pair_structure(test::padded(l_shape), test::padded({"move_left"}), table).construction == "other");
}

TEST_CASE("frame phase: which pose inside a step a frame shows") {
  CHECK(phase_fraction(0, 9, FramePhase::Start) == 0.0);
  CHECK(phase_fraction(8, 9, FramePhase::Start) == doctest::Approx(8.0 / 9.0));
  CHECK(phase_fraction(0, 9, FramePhase::End) == doctest::Approx(1.0 / 9.0));
  CHECK(phase_fraction(8, 9, FramePhase::End) == doctest::Approx(1.0));
  CHECK(phase_fraction(8, 9, FramePhase::Inclusive) == doctest::Approx(1.0));
  CHECK(phase_fraction(4, 9, FramePhase::Inclusive) == doctest::Approx(0.5));
  Conventions table = test::shipped_table();
  std::vector<std::string> a = {"move_forward", "turn_left", "move_right"};
  std::vector<Diagnostic> diagnostics;
  MetaExpectations expect;
  expect.conventions = &table;
  RsvMeta meta = read_meta_text(test::make_meta(test::a_then_inverse(a), table).dump(), "t_meta.json", expect, diagnostics);
  REQUIRE(meta.steps_valid);
  std::vector<Pose> poses = shown_poses(meta, FramePhase::Start);
  REQUIRE(poses.size() == 360);
  CHECK(same_pose(poses[0], *meta.root, 1e-9, 1e-9));
  // Frame 4 is 4/9 of the way through the first move (100 cm at yaw -120).
  CHECK(distance_cm(poses[4].position_cm, meta.root->position_cm) == doctest::Approx(400.0 / 9.0).epsilon(1e-3));
  ClosureFrames start = closure_frames(meta, FramePhase::Start);
  REQUIRE(start.root_frame);
  CHECK(*start.root_frame == 0);
  REQUIRE(start.final_frame);
  CHECK(*start.final_frame == 54);  // step 6 is the first no_op: its frame 0 shows the closure pose
  ClosureFrames end = closure_frames(meta, FramePhase::End);
  CHECK_FALSE(end.root_frame);  // under `end`, no frame shows the root when step 0 moves
  REQUIRE(end.final_frame);
  CHECK(*end.final_frame == 53);
  std::optional<EndpointPolicy> explicit_frames = parse_endpoint_policy("12,340");
  REQUIRE(explicit_frames);
  CHECK(explicit_frames->kind == EndpointKind::Explicit);
  CHECK(endpoint_policy_name(*explicit_frames) == "12,340");
  CHECK_FALSE(parse_endpoint_policy("12"));
  CHECK_FALSE(parse_endpoint_policy("ends"));
}

TEST_CASE("PSNR and SSIM on analytic images") {
  const int width = 64, height = 48;
  std::vector<uint8_t> a(static_cast<size_t>(width) * height * 3, 100), b = a;
  CHECK(mse_rgb24(a.data(), b.data(), width, height) == 0.0);
  CHECK(std::isinf(psnr_from_mse(0.0)));
  CHECK(capped_psnr(psnr_from_mse(0.0)) == 100.0);
  CHECK(ssim_rgb24(a.data(), b.data(), width, height) == doctest::Approx(1.0));
  // A uniform offset of 10: MSE 100, PSNR 10 log10(65025 / 100) = 28.1308 dB.
  for (uint8_t& value : b) value = 110;
  CHECK(mse_rgb24(a.data(), b.data(), width, height) == doctest::Approx(100.0));
  CHECK(psnr_from_mse(100.0) == doctest::Approx(28.13080).epsilon(1e-6));
  // Constant images: sigma = 0, so SSIM = (2 mu_a mu_b + C1) / (mu_a^2 + mu_b^2 + C1).
  const double c1 = (0.01 * 255) * (0.01 * 255);
  CHECK(ssim_rgb24(a.data(), b.data(), width, height) == doctest::Approx((2.0 * 100 * 110 + c1) / (100.0 * 100 + 110.0 * 110 + c1)));
  // One channel of one pixel off by 30: MSE = 900 / (3 W H).
  b = a;
  b[5] = 130;
  CHECK(mse_rgb24(a.data(), b.data(), width, height) == doctest::Approx(900.0 / (3.0 * width * height)));
  // A pattern against its negative: SSIM ~ -1 (structure inverted, same mean 127.5 and variance).
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t value = ((x / 2 + y / 2) % 2) ? 255 : 0;
      for (int c = 0; c < 3; ++c) {
        a[(static_cast<size_t>(y) * width + x) * 3 + c] = value;
        b[(static_cast<size_t>(y) * width + x) * 3 + c] = static_cast<uint8_t>(255 - value);
      }
    }
  }
  double inverted = ssim_rgb24(a.data(), b.data(), width, height);
  CHECK(inverted < -0.9);
  CHECK(psnr_from_mse(mse_rgb24(a.data(), b.data(), width, height)) == doctest::Approx(0.0));
}
