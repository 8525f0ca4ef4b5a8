#include "estimate/decomposable_graph.h"

#include <algorithm>
#include <bit>

namespace izde::estimate {
namespace {

std::vector<uint32_t> Neighbours(uint32_t edges, int k) {
  std::vector<uint32_t> nb(k, 0);
  for (int i = 0; i < k; ++i) {
    for (int j = i + 1; j < k; ++j) {
      if (edges >> EdgeIndex(i, j, k) & 1) {
        nb[i] |= 1u << j;
        nb[j] |= 1u << i;
      }
    }
  }
  return nb;
}

// Maximum cardinality search (Tarjan & Yannakakis 1984): visits vertices so that a graph
// is chordal exactly when each vertex's earlier neighbours form a clique, and the cliques
// then come out in a running-intersection order. Returns false for a non-chordal graph.
bool Decompose(uint32_t edges, int k, DecomposableGraph* g) {
  std::vector<uint32_t> nb = Neighbours(edges, k);
  uint32_t visited = 0;
  std::vector<int> order;
  std::vector<uint32_t> earlier;  // earlier neighbours of order[i]
  for (int step = 0; step < k; ++step) {
    int best = 0, best_count = -1;
    for (int v = 0; v < k; ++v) {
      if (visited >> v & 1) continue;
      int count = std::popcount(nb[v] & visited);
      if (count > best_count) {
        best = v;
        best_count = count;
      }
    }
    order.push_back(best);
    earlier.push_back(nb[best] & visited);
    visited |= 1u << best;
  }
  for (int i = 0; i < k; ++i) {
    uint32_t p = earlier[i];
    if (std::popcount(p) < 2) continue;
    // The latest-visited earlier neighbour must see all the others.
    int latest = -1;
    for (int j = i - 1; j >= 0; --j) {
      if (p >> order[j] & 1) {
        latest = j;
        break;
      }
    }
    uint32_t rest = p & ~(1u << order[latest]);
    if ((rest & earlier[latest]) != rest) return false;
  }
  g->edges = edges;
  g->cliques.clear();
  g->separators.clear();
  for (int i = 0; i < k; ++i) {
    // Vertex i closes a clique unless the next vertex extends it.
    bool closes = i == k - 1 || std::popcount(earlier[i + 1]) <= std::popcount(earlier[i]);
    if (!closes) continue;
    uint32_t clique = earlier[i] | (1u << order[i]);
    uint32_t before = 0;
    for (uint32_t c : g->cliques) before |= c;
    if (!g->cliques.empty()) g->separators.push_back(clique & before);
    g->cliques.push_back(clique);
  }
  return true;
}

}  // namespace

int EdgeIndex(int i, int j, int num_lists) {
  if (i > j) std::swap(i, j);
  return i * num_lists - i * (i + 1) / 2 + (j - i - 1);
}

std::string DecomposableGraph::Notation(int num_lists) const {
  // Sorted by lowest list, as people write them.
  std::vector<uint32_t> sorted = cliques;
  std::sort(sorted.begin(), sorted.end(), [](uint32_t a, uint32_t b) {
    // Lexicographic on members: at the lowest list where they differ, whoever has it wins.
    const uint32_t differ = a ^ b;
    return differ != 0 && (a & (differ & -differ)) != 0;
  });
  std::string out;
  for (size_t c = 0; c < sorted.size(); ++c) {
    if (c) out += ",";
    out += "{";
    bool first = true;
    for (int i = 0; i < num_lists; ++i) {
      if (!(sorted[c] >> i & 1)) continue;
      if (!first) out += ",";
      out += std::to_string(i + 1);
      first = false;
    }
    out += "}";
  }
  return out;
}

std::vector<DecomposableGraph> AllDecomposableGraphs(int num_lists) {
  const int pairs = num_lists * (num_lists - 1) / 2;
  std::vector<DecomposableGraph> out;
  for (uint32_t edges = 0; edges < (1u << pairs); ++edges) {
    DecomposableGraph g;
    if (Decompose(edges, num_lists, &g)) out.push_back(std::move(g));
  }
  return out;
}

}  // namespace izde::estimate
