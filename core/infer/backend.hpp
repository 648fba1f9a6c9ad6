#pragma once
// A backend turns one window of grid frames into a model answer (raw text). Backends are
// called from several pool threads at once, so run_window must be thread-safe.
#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "infer/frame_image.hpp"

namespace idm::infer {

struct WindowInput {
  std::string clip_key;
  int window_index = 0;
  int start_frame = 0;
  std::vector<const FrameImage*> frames;  // the window's frames, downscaled, no labels
  std::vector<std::string> pngs;          // the same as PNG (labels burned in when asked), if wants_png()
};

struct WindowAnswer {
  bool ok = false;
  std::string raw_text;  // the model's answer, as given
  std::string error;     // when !ok: one line
  int attempts = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // *cancel turns true when the user cancels: return promptly (within ~1 s).
  virtual WindowAnswer run_window(const WindowInput& input, const std::atomic<bool>& cancel) = 0;
  // How many windows may run at once (the K of the openai backend).
  virtual int concurrency() const { return 1; }
  virtual bool wants_png() const { return true; }
  // A short description for run.json ("openai gpt-4o @ http://...").
  virtual nlohmann::json describe() const = 0;
};

// From a run request's "backend" object: {"name": "baseline"|"openai"|"command", ...}.
// Null with error naming the bad field.
std::unique_ptr<Backend> make_backend(const nlohmann::json& config, std::string& error);

// Frame pipeline settings a backend wants when the request does not say: baseline works on
// full-size frames (sprite matching needs exact pixels) without labels; models get 1280 px PNGs with labels.
int default_max_edge_px(const std::string& backend_name);

}  // namespace idm::infer
