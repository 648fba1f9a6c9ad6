#include "rsv/image_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace idm::rsv {

double mse_rgb24(const uint8_t* a, const uint8_t* b, size_t width, size_t height) {
  size_t count = width * height * 3;
  if (count == 0) return 0.0;
  uint64_t sum = 0;
  for (size_t i = 0; i < count; ++i) {
    int difference = static_cast<int>(a[i]) - static_cast<int>(b[i]);
    sum += static_cast<uint64_t>(difference * difference);
  }
  return static_cast<double>(sum) / static_cast<double>(count);
}

double psnr_from_mse(double mse) {
  if (mse <= 0.0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

double capped_psnr(double psnr_db) { return std::min(psnr_db, kPsnrCapDb); }

namespace {

constexpr int kWindow = 11;

std::array<double, kWindow> gaussian_weights() {
  std::array<double, kWindow> weights{};
  double sum = 0.0;
  for (int i = 0; i < kWindow; ++i) {
    double x = i - kWindow / 2;
    weights[static_cast<size_t>(i)] = std::exp(-x * x / (2.0 * 1.5 * 1.5));
    sum += weights[static_cast<size_t>(i)];
  }
  for (double& weight : weights) weight /= sum;
  return weights;
}

// Separable "valid" Gaussian filter of one plane: (width-10) x (height-10) outputs.
void filter_valid(const std::vector<double>& plane, int width, int height, std::vector<double>& out) {
  static const std::array<double, kWindow> weights = gaussian_weights();
  int out_width = width - kWindow + 1;
  int out_height = height - kWindow + 1;
  std::vector<double> rows(static_cast<size_t>(out_width) * height);
  for (int y = 0; y < height; ++y) {
    const double* in = plane.data() + static_cast<size_t>(y) * width;
    for (int x = 0; x < out_width; ++x) {
      double sum = 0.0;
      for (int k = 0; k < kWindow; ++k) sum += weights[static_cast<size_t>(k)] * in[x + k];
      rows[static_cast<size_t>(y) * out_width + x] = sum;
    }
  }
  out.assign(static_cast<size_t>(out_width) * out_height, 0.0);
  for (int y = 0; y < out_height; ++y) {
    for (int x = 0; x < out_width; ++x) {
      double sum = 0.0;
      for (int k = 0; k < kWindow; ++k) sum += weights[static_cast<size_t>(k)] * rows[static_cast<size_t>(y + k) * out_width + x];
      out[static_cast<size_t>(y) * out_width + x] = sum;
    }
  }
}

}  // namespace

double ssim_rgb24(const uint8_t* a, const uint8_t* b, int width, int height) {
  const double c1 = (0.01 * 255.0) * (0.01 * 255.0);
  const double c2 = (0.03 * 255.0) * (0.03 * 255.0);
  if (width <= 0 || height <= 0) return 1.0;
  size_t pixels = static_cast<size_t>(width) * height;
  double total = 0.0;
  for (int channel = 0; channel < 3; ++channel) {
    std::vector<double> x(pixels), y(pixels);
    for (size_t i = 0; i < pixels; ++i) {
      x[i] = a[i * 3 + static_cast<size_t>(channel)];
      y[i] = b[i * 3 + static_cast<size_t>(channel)];
    }
    if (width < kWindow || height < kWindow) {
      double mx = 0, my = 0;
      for (size_t i = 0; i < pixels; ++i) {
        mx += x[i];
        my += y[i];
      }
      mx /= pixels;
      my /= pixels;
      double vx = 0, vy = 0, cov = 0;
      for (size_t i = 0; i < pixels; ++i) {
        vx += (x[i] - mx) * (x[i] - mx);
        vy += (y[i] - my) * (y[i] - my);
        cov += (x[i] - mx) * (y[i] - my);
      }
      vx /= pixels;
      vy /= pixels;
      cov /= pixels;
      total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      continue;
    }
    std::vector<double> xx(pixels), yy(pixels), xy(pixels);
    for (size_t i = 0; i < pixels; ++i) {
      xx[i] = x[i] * x[i];
      yy[i] = y[i] * y[i];
      xy[i] = x[i] * y[i];
    }
    std::vector<double> mu_x, mu_y, m_xx, m_yy, m_xy;
    filter_valid(x, width, height, mu_x);
    filter_valid(y, width, height, mu_y);
    filter_valid(xx, width, height, m_xx);
    filter_valid(yy, width, height, m_yy);
    filter_valid(xy, width, height, m_xy);
    double sum = 0.0;
    for (size_t i = 0; i < mu_x.size(); ++i) {
      double mx = mu_x[i], my = mu_y[i];
      double vx = m_xx[i] - mx * mx, vy = m_yy[i] - my * my, cov = m_xy[i] - mx * my;
      sum += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    }
    total += sum / static_cast<double>(mu_x.size());
  }
  return total / 3.0;
}

}  // namespace idm::rsv
