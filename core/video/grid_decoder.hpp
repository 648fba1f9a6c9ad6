#pragma once
// Decodes a file's grid frames in one forward pass (no seeking) and hands each one over as
// RGBA, converted with the file's colour tags the way the ffmpeg CLI's scale filter does.
// A source frame shown by several grid frames is decoded and converted once.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "video/frame_index.hpp"
#include "video/grid_map.hpp"

struct AVFrame;

namespace idm {

struct GridFrameRgba {
  int grid_frame = 0;
  int source_frame_index = 0;   // into FrameIndex::frames
  int64_t pts_us = 0;
  int width = 0;
  int height = 0;
  int stride_bytes = 0;
  const uint8_t* rgba = nullptr;  // valid only during the callback
};

// Called in grid order; return false to stop early (not an error).
using GridFrameSink = std::function<bool(const GridFrameRgba&)>;

// The decoder's own frame, for callers that keep YUV (the decode service).
struct GridFrameDecoded {
  int grid_frame = 0;
  int source_frame_index = 0;
  int64_t pts_us = 0;
  bool first_of_source = true;     // false when the previous grid frame showed the same frame
  const AVFrame* frame = nullptr;  // valid only during the callback
};
enum class GridSinkResult { Continue, Stop, Failed };  // Failed: the sink set the error
using GridFrameDecodedSink = std::function<GridSinkResult(const GridFrameDecoded&, std::string& error)>;

// Returns false with a one-line error when the file cannot be decoded or ends before the
// last grid frame.
bool decode_grid_rgba(const std::filesystem::path& path, const FrameIndex& index, const GridMap& map,
                      const GridFrameSink& sink, std::string& error);
bool decode_grid_frames(const std::filesystem::path& path, const FrameIndex& index, const GridMap& map,
                        const GridFrameDecodedSink& sink, std::string& error);

}  // namespace idm
