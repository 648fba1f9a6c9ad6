#pragma once
// Shared by the index scan and the decoder: open a file with libavformat under a deadline,
// so a hostile file gives an error in bounded time instead of a hang.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

struct AVFormatContext;
struct AVCodecContext;
struct AVPacket;
struct AVFrame;

namespace idm {

struct FormatCloser {
  void operator()(AVFormatContext* context) const;
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;

// Every libavformat call on the returned context gives up once the deadline has passed.
struct OpenedFormat {
  FormatPtr context;
  std::unique_ptr<std::chrono::steady_clock::time_point> deadline;  // stable address for the callback
  int video_stream = -1;
};

// Opens, reads stream info, picks the best video stream and checks its size.
bool open_video_format(const std::filesystem::path& path, std::chrono::milliseconds budget, OpenedFormat& out,
                       std::string& error);

std::string av_error_text(int code);

struct CodecCloser {
  void operator()(AVCodecContext* context) const;
};
struct PacketCloser {
  void operator()(AVPacket* packet) const;
};
struct FrameCloser {
  void operator()(AVFrame* frame) const;
};
using CodecPtr = std::unique_ptr<AVCodecContext, CodecCloser>;
using PacketPtr = std::unique_ptr<AVPacket, PacketCloser>;
using AvFramePtr = std::unique_ptr<AVFrame, FrameCloser>;

// Opens a decoder for the opened file's video stream (threads chosen like the ffmpeg CLI)
// and makes every other stream be skipped by the demuxer.
bool open_video_decoder(const OpenedFormat& opened, CodecPtr& out, std::string& error);

}  // namespace idm
