#pragma once
// Writes RGB frames as H.264 yuv420p in an MP4 through libavcodec/libavformat. Single-threaded
// x264 with fixed options and bit-exact muxing, so the same frames give the same bytes.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

struct AVCodecContext;
struct AVFormatContext;
struct AVFrame;
struct AVPacket;
struct AVStream;

namespace idm::media {

struct VideoSettings {
  int width_px = 1728;
  int height_px = 1080;
  int fps = 30;
  int gop_frames = 60;
  bool silent_audio = false;  // add a silent 48 kHz mono AAC track, as real recordings carry
  int crf = 20;  // x264 quality: 0 is lossless (exports compared pixel for pixel)
  // The mp4 muxer's edit list ends at the last frame's start, which hides that frame when the
  // frame rate divides the movie timescale exactly (5 fps exports); exports turn it off.
  bool edit_list = true;
  bool full_chroma = false;  // yuv444p instead of yuv420p: with crf 0, colour edges survive too
};

class VideoEncoder {
 public:
  VideoEncoder() = default;
  ~VideoEncoder();
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  bool open(const std::filesystem::path& path, const VideoSettings& settings, std::string& error);
  // rgb: width*height*3 bytes.
  bool add_frame(const std::vector<uint8_t>& rgb, std::string& error);
  bool finish(std::string& error);

 private:
  // Writes every packet the encoder has ready (all of them when flushing) to its stream.
  bool drain(AVCodecContext* codec, AVStream* stream, bool flushing, std::string& error);
  bool open_audio(std::string& error);
  // Encodes silence up to `until_samples` (48 kHz); flushing also drains the encoder.
  bool write_audio(int64_t until_samples, bool flushing, std::string& error);
  void close();

  VideoSettings settings_;
  AVFormatContext* format_ = nullptr;
  AVCodecContext* codec_ = nullptr;
  AVStream* stream_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
  int64_t next_pts_ = 0;
  AVCodecContext* audio_codec_ = nullptr;
  AVStream* audio_stream_ = nullptr;
  AVFrame* audio_frame_ = nullptr;
  int64_t audio_samples_ = 0;
  bool header_written_ = false;
};

// BT.709 limited-range RGB -> planar 4:2:0 with 2x2 chroma averaging, in integers.
void rgb_to_yuv420(const uint8_t* rgb, int width, int height, uint8_t* y, int y_stride, uint8_t* u, int u_stride,
                   uint8_t* v, int v_stride);

// The same without chroma subsampling (planar 4:4:4).
void rgb_to_yuv444(const uint8_t* rgb, int width, int height, uint8_t* y, int y_stride, uint8_t* u, int u_stride,
                   uint8_t* v, int v_stride);

}  // namespace idm::media
