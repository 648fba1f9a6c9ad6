#pragma once
// Decoded AVFrame -> CachedFrame pixels, and the CPU form of the GPU's YUV -> RGBA conversion
// (for PNG exports, the worker, and the tests that check the shader's arithmetic).
#include <cstdint>
#include <string>
#include <vector>

#include "video/frame_cache.hpp"

struct AVFrame;

namespace idm {

class RgbaConverter;

// The matrix and range ffmpeg's scale filter would use for this frame (untagged: BT.601,
// limited, or full for the yuvj formats).
YuvMatrix yuv_matrix_for(const AVFrame& frame);

// Fills frame.pixels and its planes from `decoded`: 8-bit 4:2:0 is kept as YUV planes, any
// other format goes through `converter` to RGBA. False with error when conversion fails.
bool store_frame_pixels(const AVFrame& decoded, RgbaConverter& converter, CachedFrame& frame, std::string& error);

// Packed RGBA rows of any cached frame. YUV is converted with the same formula as the
// shader (chroma sample (x/2, y/2), round to nearest); `scratch` holds the result then.
const uint8_t* frame_rgba(const CachedFrame& frame, std::vector<uint8_t>& scratch);
void yuv420_to_rgba(const CachedFrame& frame, uint8_t* rgba_out);

}  // namespace idm
