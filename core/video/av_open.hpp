#pragma once
// Shared by the index scan and the decoder: open a file with libavformat under a deadline,
// so a hostile file gives an error in bounded time instead of a hang.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

struct AVFormatContext;

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

}  // namespace idm
