// Runs fn(i) for i in [0, n) on all cores. Work is handed out one index at a
// time, so uneven items balance; below `min_parallel` items it runs inline,
// where starting threads would cost more than it saves.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace izde {

template <typename Fn>
void ParallelFor(size_t n, Fn&& fn, size_t min_parallel = 512, unsigned threads = 0) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (n < min_parallel || threads == 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace izde
