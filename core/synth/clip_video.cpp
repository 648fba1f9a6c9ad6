#include "synth/clip_video.hpp"

namespace idm::synth {

bool render_clip_video(const ClipScript& script, const Layout& layout, const Renderer& renderer,
                       const VideoSettings& settings, const std::filesystem::path& mp4_path,
                       std::vector<Effect>& effects, std::string& error) {
  VideoEncoder encoder;
  if (!encoder.open(mp4_path, settings, error)) return false;
  Desktop desktop(layout, script.initial);
  Canvas canvas{layout.width_px, layout.height_px, {}};
  int64_t frames = kClipDurationUs * settings.fps / 1'000'000;
  size_t next = 0;
  for (int64_t i = 0; i < frames; ++i) {
    // Frame i shows every event at or before i/fps (integer test: no rounding drift).
    while (next < script.events.size() && script.events[next].t_us * settings.fps <= i * 1'000'000) {
      desktop.apply(script.events[next++], effects);
    }
    renderer.render(desktop.state(), i * 1'000'000 / settings.fps, canvas);
    if (!encoder.add_frame(canvas.rgb, error)) return false;
  }
  while (next < script.events.size()) desktop.apply(script.events[next++], effects);
  return encoder.finish(error);
}

}  // namespace idm::synth
