// Fake world models for the rollout protocol (docs/rsv-rollout-protocol.md, rsv.md §8), one
// program: reads the request on stdin, writes out_dir/frame_%05d.png (lossless) and ends
// stdout with {"ok": true, "frames": N, "includes_context": false, "fps": 16}.
//   perfect      the GT video's decoded frames (needs --release)
//   exact-d      the GT's frames +-d per channel (--d, default 4): PSNR exactly 20 log10(255/d)
//   render       the synthetic world rendered at the true action grid (no codec)
//   tscale-0.9   rendered with 90 cm moves      rscale-0.9  rendered with 13.5 / 6.75 deg turns
//   forgetful    rendered; the scene changes half-way
// --release DIR: the synthetic release (where the GT video and the root pose are found by the
// request's "key"). --fault KIND [--fault-only TEXT]: crash | hang | garbage | few-frames |
// early-exit | fail, for keys containing TEXT (all when absent). --sleep-ms MS: fixed latency.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsv/frame_reader.hpp"
#include "rsv/frames.hpp"
#include "rsv/kinematics.hpp"
#include "rsv_synth/world.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb_image_write.h>
#pragma GCC diagnostic pop

namespace fs = std::filesystem;
using idm::rsv::Pose;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "fake model: %s\n", message.c_str());
  std::printf("{\"ok\": false, \"error\": %s}\n", nlohmann::json(message).dump().c_str());
  return 1;
}

// The GT file of a key (<split>/<stem>) under the release folder given.
fs::path gt_file(const fs::path& release, const std::string& key, const std::string& suffix) {
  std::string stem = key.substr(key.find('/') + 1);
  for (const fs::path& candidate : {release / (key + suffix), release / "result_dataset" / (key + suffix), release / (stem + suffix)}) {
    if (fs::exists(candidate)) return candidate;
  }
  return {};
}

bool write_png(const fs::path& path, const std::vector<uint8_t>& rgb, int width, int height) {
  stbi_write_png_compression_level = 1;  // lossless either way; the suite writes thousands of frames
  return stbi_write_png(path.c_str(), width, height, 3, rgb.data(), width * 3) != 0;
}

double round_to(double value, double step) { return std::round(value / step) * step + 0.0; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return fail("usage: rsv_fake_rollout_model MODE [--release DIR] [--d N] [--fault KIND] [--fault-only TEXT] [--sleep-ms MS]");
  std::string mode = argv[1];
  fs::path release;
  int d = 4;
  std::string fault, fault_only;
  int sleep_ms = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string option = argv[i];
    if (option == "--release") release = argv[i + 1];
    else if (option == "--d") d = std::atoi(argv[i + 1]);
    else if (option == "--fault") fault = argv[i + 1];
    else if (option == "--fault-only") fault_only = argv[i + 1];
    else if (option == "--sleep-ms") sleep_ms = std::atoi(argv[i + 1]);
    else return fail("unknown option " + option);
  }
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  nlohmann::json request = nlohmann::json::parse(text, nullptr, false);
  if (request.is_discarded() || !request.is_object()) return fail("the request is not a JSON object");
  std::string key = request.value("key", std::string());
  fs::path out_dir = request.value("out_dir", std::string());
  int width = request.value("width", 0), height = request.value("height", 0);
  int frames_per_step = request.value("frames_per_step", 9);
  std::vector<std::string> actions = request.value("actions", std::vector<std::string>());
  if (out_dir.empty() || width <= 0 || height <= 0 || actions.empty()) return fail("the request lacks out_dir, width, height or actions");
  if (request.contains("context") && (!request["context"].is_array() || request["context"].empty())) return fail("no context frames");
  std::fprintf(stderr, "fake model %s: %s, %zu actions, %dx%d\n", mode.c_str(), key.c_str(), actions.size(), width, height);
  if (sleep_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
  const int frames = static_cast<int>(actions.size()) * frames_per_step;
  if (!fault.empty() && (fault_only.empty() || key.find(fault_only) != std::string::npos)) {
    std::fprintf(stderr, "fake model: fault %s for %s\n", fault.c_str(), key.c_str());
    std::fflush(stderr);
    if (fault == "crash") {
      // A sanitizer build has its own SIGSEGV handler (it would end with SIGABRT): die of the signal.
      std::signal(SIGSEGV, SIG_DFL);
      std::raise(SIGSEGV);
    }
    if (fault == "hang") std::this_thread::sleep_for(std::chrono::hours(1));
    if (fault == "garbage") {
      std::printf("this is not JSON\n");
      return 0;
    }
    if (fault == "early-exit") return 0;
    if (fault == "fail") {  // a graceful failure: exit 0 with ok false
      fail("the model refuses " + key);
      return 0;
    }
    if (fault != "few-frames") return fail("unknown fault " + fault);
  }
  const int frames_written = fault == "few-frames" && (fault_only.empty() || key.find(fault_only) != std::string::npos) ? 10 : frames;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  std::vector<uint8_t> rgb;
  if (mode == "perfect" || mode == "exact-d") {
    fs::path video = gt_file(release, key, ".mp4");
    if (video.empty()) return fail("no GT video for " + key + " under --release " + release.string());
    idm::rsv::FrameReader reader;
    std::string error;
    if (!reader.open(video, error)) return fail(error);
    if (reader.facts().width != width || reader.facts().height != height) return fail("the GT is not the requested size");
    for (int f = 0; f < frames_written; ++f) {
      if (!reader.read_rgb(f, rgb, error)) return fail(error);
      if (mode == "exact-d") {
        for (uint8_t& value : rgb) value = static_cast<uint8_t>(value + d <= 255 ? value + d : value - d);
      }
      char name[32];
      std::snprintf(name, sizeof name, "frame_%05d.png", f);
      if (!write_png(out_dir / name, rgb, width, height)) return fail("cannot write " + (out_dir / name).string());
    }
  } else if (mode == "render" || mode == "tscale-0.9" || mode == "rscale-0.9" || mode == "forgetful") {
    fs::path meta_path = gt_file(release, key, "_meta.json");
    if (meta_path.empty()) return fail("no GT metadata for " + key + " under --release " + release.string());
    std::ifstream in(meta_path);
    nlohmann::json meta = nlohmann::json::parse(in, nullptr, false);
    if (meta.is_discarded() || !meta.contains("root_state")) return fail(meta_path.string() + ": no root_state");
    Pose root;
    auto position = meta["root_state"]["position"];
    auto rotation = meta["root_state"]["rotation"];
    root.position_cm = {position[0].get<double>(), position[1].get<double>(), position[2].get<double>()};
    root.rotation_deg = {rotation[0].get<double>(), rotation[1].get<double>(), rotation[2].get<double>()};
    idm::rsv::Conventions table;
    std::string error;
    if (!idm::rsv::load_conventions(idm::rsv::default_conventions_path(), table, error)) return fail(error);
    for (idm::rsv::ActionEffect& effect : table.actions) {
      if (mode == "tscale-0.9") {
        effect.forward_cm *= 0.9;
        effect.right_cm *= 0.9;
        effect.up_cm *= 0.9;
      }
      if (mode == "rscale-0.9") {
        effect.yaw_deg *= 0.9;
        effect.pitch_deg *= 0.9;
      }
    }
    idm::rsv_synth::World world;
    Pose current = root;
    int f = 0;
    for (const std::string& action : actions) {
      const idm::rsv::ActionEffect* effect = table.find(action);
      if (!effect) return fail("unknown action " + action);
      idm::rsv::StepRecord step;
      step.start = current;
      step.actual_end = idm::rsv::apply_action(current, *effect);
      // Rounded so that a path that returns renders the same bytes as where it started.
      step.actual_end.position_cm = {round_to(step.actual_end.position_cm.x, 1e-6), round_to(step.actual_end.position_cm.y, 1e-6),
                                     round_to(step.actual_end.position_cm.z, 1e-6)};
      step.actual_end.rotation_deg = {round_to(step.actual_end.rotation_deg.x, 1e-9), round_to(step.actual_end.rotation_deg.y, 1e-9),
                                      round_to(step.actual_end.rotation_deg.z, 1e-9)};
      for (int j = 0; j < frames_per_step && f < frames_written; ++j, ++f) {
        Pose pose = idm::rsv::interpolate(step, idm::rsv::phase_fraction(j, frames_per_step, idm::rsv::FramePhase::Start));
        idm::rsv_synth::render_view(world, pose, width, height, mode == "forgetful" && f >= frames / 2, rgb);
        char name[32];
        std::snprintf(name, sizeof name, "frame_%05d.png", f);
        if (!write_png(out_dir / name, rgb, width, height)) return fail("cannot write " + (out_dir / name).string());
      }
      current = step.actual_end;
    }
  } else {
    return fail("unknown mode " + mode + " (perfect, exact-d, render, tscale-0.9, rscale-0.9, forgetful)");
  }
  std::printf("{\"ok\": true, \"frames\": %d, \"includes_context\": false, \"fps\": 16}\n", frames_written);
  return 0;
}
