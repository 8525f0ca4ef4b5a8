// Decomposable (chordal) graphs over lists, the models of Madigan & York (1997): an edge
// lets two lists depend on each other; a decomposable graph factors through its cliques
// and separators, which gives closed-form marginal likelihoods.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace izde::estimate {

struct DecomposableGraph {
  uint32_t edges = 0;                // bit index of the pair (i, j) from EdgeIndex
  std::vector<uint32_t> cliques;     // list masks, in a running-intersection order
  std::vector<uint32_t> separators;  // one per clique after the first; may be 0 (empty)

  // Cliques written with lists numbered from 1: "{1,2},{3}".
  std::string Notation(int num_lists) const;
};

int EdgeIndex(int i, int j, int num_lists);

// Every decomposable graph over num_lists vertices (8 for 3 lists, 61 for 4, 822 for 5).
std::vector<DecomposableGraph> AllDecomposableGraphs(int num_lists);

}  // namespace izde::estimate
