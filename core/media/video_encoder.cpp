#include "media/video_encoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
}

namespace idm::media {

namespace {
std::string av_message(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, text, sizeof text);
  return text;
}
}  // namespace

VideoEncoder::~VideoEncoder() { close(); }

void VideoEncoder::close() {
  if (codec_) avcodec_free_context(&codec_);
  if (audio_codec_) avcodec_free_context(&audio_codec_);
  if (audio_frame_) av_frame_free(&audio_frame_);
  if (frame_) av_frame_free(&frame_);
  if (packet_) av_packet_free(&packet_);
  if (format_) {
    if (format_->pb) avio_closep(&format_->pb);
    avformat_free_context(format_);
    format_ = nullptr;
  }
}

bool VideoEncoder::open(const std::filesystem::path& path, const VideoSettings& settings, std::string& error) {
  settings_ = settings;
  std::string target = path.string();
  int rc = avformat_alloc_output_context2(&format_, nullptr, "mp4", target.c_str());
  if (rc < 0 || !format_) {
    error = "cannot create mp4 muxer: " + av_message(rc);
    return false;
  }
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) {
    error = "libavcodec has no libx264 encoder";
    return false;
  }
  codec_ = avcodec_alloc_context3(codec);
  codec_->width = settings.width_px;
  codec_->height = settings.height_px;
  codec_->pix_fmt = settings.full_chroma ? AV_PIX_FMT_YUV444P : AV_PIX_FMT_YUV420P;
  codec_->time_base = AVRational{1, settings.fps};
  codec_->framerate = AVRational{settings.fps, 1};
  codec_->gop_size = settings.gop_frames;
  codec_->max_b_frames = 0;
  codec_->thread_count = 1;  // x264's frame threads would make output depend on timing
  codec_->color_range = AVCOL_RANGE_MPEG;
  codec_->colorspace = AVCOL_SPC_BT709;  // matches rgb_to_yuv420's matrix
  codec_->color_primaries = AVCOL_PRI_BT709;
  codec_->color_trc = AVCOL_TRC_BT709;
  codec_->flags |= AV_CODEC_FLAG_BITEXACT;
  if (format_->oformat->flags & AVFMT_GLOBALHEADER) codec_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av_opt_set(codec_->priv_data, "preset", "ultrafast", 0);
  av_opt_set(codec_->priv_data, "crf", std::to_string(settings.crf).c_str(), 0);
  // Fixed keyframe cadence (--gop): no scene-cut keyframes.
  av_opt_set(codec_->priv_data, "x264-params", "scenecut=0:sliced-threads=0:threads=1", 0);
  if ((rc = avcodec_open2(codec_, codec, nullptr)) < 0) {
    error = "cannot open libx264: " + av_message(rc);
    return false;
  }
  stream_ = avformat_new_stream(format_, nullptr);
  stream_->time_base = codec_->time_base;
  avcodec_parameters_from_context(stream_->codecpar, codec_);
  if (settings.silent_audio && !open_audio(error)) return false;
  format_->flags |= AVFMT_FLAG_BITEXACT;  // no library version strings in the file
  if ((rc = avio_open(&format_->pb, target.c_str(), AVIO_FLAG_WRITE)) < 0) {
    error = "cannot write " + target + ": " + av_message(rc);
    return false;
  }
  AVDictionary* muxer_options = nullptr;
  if (!settings.edit_list) av_dict_set(&muxer_options, "use_editlist", "0", 0);
  rc = avformat_write_header(format_, &muxer_options);
  av_dict_free(&muxer_options);
  if (rc < 0) {
    error = "cannot write mp4 header: " + av_message(rc);
    return false;
  }
  header_written_ = true;
  frame_ = av_frame_alloc();
  frame_->format = settings_.full_chroma ? AV_PIX_FMT_YUV444P : AV_PIX_FMT_YUV420P;
  frame_->width = settings.width_px;
  frame_->height = settings.height_px;
  av_frame_get_buffer(frame_, 0);
  packet_ = av_packet_alloc();
  return true;
}

bool VideoEncoder::open_audio(std::string& error) {
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!codec) {
    error = "libavcodec has no AAC encoder";
    return false;
  }
  audio_codec_ = avcodec_alloc_context3(codec);
  audio_codec_->sample_rate = 48000;
  av_channel_layout_default(&audio_codec_->ch_layout, 1);
  audio_codec_->sample_fmt = AV_SAMPLE_FMT_FLTP;
  audio_codec_->bit_rate = 32000;
  audio_codec_->time_base = AVRational{1, 48000};
  audio_codec_->flags |= AV_CODEC_FLAG_BITEXACT;
  if (format_->oformat->flags & AVFMT_GLOBALHEADER) audio_codec_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (int rc = avcodec_open2(audio_codec_, codec, nullptr); rc < 0) {
    error = "cannot open the AAC encoder: " + av_message(rc);
    return false;
  }
  audio_stream_ = avformat_new_stream(format_, nullptr);
  audio_stream_->time_base = audio_codec_->time_base;
  avcodec_parameters_from_context(audio_stream_->codecpar, audio_codec_);
  audio_frame_ = av_frame_alloc();
  audio_frame_->format = audio_codec_->sample_fmt;
  audio_frame_->nb_samples = audio_codec_->frame_size;
  audio_frame_->sample_rate = 48000;
  av_channel_layout_copy(&audio_frame_->ch_layout, &audio_codec_->ch_layout);
  av_frame_get_buffer(audio_frame_, 0);
  return true;
}

bool VideoEncoder::write_audio(int64_t until_samples, bool flushing, std::string& error) {
  while (audio_samples_ < until_samples) {
    av_frame_make_writable(audio_frame_);
    av_samples_set_silence(audio_frame_->data, 0, audio_frame_->nb_samples, 1, audio_codec_->sample_fmt);
    audio_frame_->pts = audio_samples_;
    audio_samples_ += audio_frame_->nb_samples;
    if (int rc = avcodec_send_frame(audio_codec_, audio_frame_); rc < 0) {
      error = "audio encoding failed: " + av_message(rc);
      return false;
    }
    if (!drain(audio_codec_, audio_stream_, false, error)) return false;
  }
  if (!flushing) return true;
  avcodec_send_frame(audio_codec_, nullptr);
  return drain(audio_codec_, audio_stream_, true, error);
}

bool VideoEncoder::drain(AVCodecContext* codec, AVStream* stream, bool flushing, std::string& error) {
  while (true) {
    int rc = avcodec_receive_packet(codec, packet_);
    if (rc == AVERROR(EAGAIN) || (flushing && rc == AVERROR_EOF)) return true;
    if (rc < 0) {
      error = "encoding failed: " + av_message(rc);
      return false;
    }
    av_packet_rescale_ts(packet_, codec->time_base, stream->time_base);
    packet_->stream_index = stream->index;
    rc = av_interleaved_write_frame(format_, packet_);
    if (rc < 0) {
      error = "cannot write packet: " + av_message(rc);
      return false;
    }
  }
}

bool VideoEncoder::add_frame(const std::vector<uint8_t>& rgb, std::string& error) {
  av_frame_make_writable(frame_);
  auto convert = settings_.full_chroma ? rgb_to_yuv444 : rgb_to_yuv420;
  convert(rgb.data(), settings_.width_px, settings_.height_px, frame_->data[0], frame_->linesize[0], frame_->data[1],
          frame_->linesize[1], frame_->data[2], frame_->linesize[2]);
  frame_->pts = next_pts_++;
  int rc = avcodec_send_frame(codec_, frame_);
  if (rc < 0) {
    error = "encoding failed: " + av_message(rc);
    return false;
  }
  // Silence up to the end of this frame keeps the two streams interleaved.
  if (audio_codec_ && !write_audio(next_pts_ * 48000 / settings_.fps, false, error)) return false;
  return drain(codec_, stream_, false, error);
}

bool VideoEncoder::finish(std::string& error) {
  int rc = avcodec_send_frame(codec_, nullptr);
  if (rc < 0 && rc != AVERROR_EOF) {
    error = "encoding failed: " + av_message(rc);
    return false;
  }
  if (!drain(codec_, stream_, true, error)) return false;
  if (audio_codec_ && !write_audio(next_pts_ * 48000 / settings_.fps, true, error)) return false;
  if (header_written_ && (rc = av_write_trailer(format_)) < 0) {
    error = "cannot finish mp4: " + av_message(rc);
    return false;
  }
  close();
  return true;
}

}  // namespace idm::media
