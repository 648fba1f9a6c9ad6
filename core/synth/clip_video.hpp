#pragma once
// Simulates one clip frame by frame: applies the script's events up to each video frame's
// time, draws the desktop, encodes it. Returns the effects the logged events had.
#include <filesystem>
#include <string>
#include <vector>

#include "synth/desktop.hpp"
#include "synth/renderer.hpp"
#include "synth/script.hpp"
#include "media/video_encoder.hpp"

namespace idm::synth {

using media::VideoEncoder;
using media::VideoSettings;

bool render_clip_video(const ClipScript& script, const Layout& layout, const Renderer& renderer,
                       const VideoSettings& settings, const std::filesystem::path& mp4_path,
                       std::vector<Effect>& effects, std::string& error);

}  // namespace idm::synth
