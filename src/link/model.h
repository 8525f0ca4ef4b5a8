// Fellegi–Sunter: each field's comparison level is evidence for or against a
// match, weighted by log2(m/u) where m = P(level | same person) and
// u = P(level | different people). u is estimated from random pairs (almost all
// non-matches), m and the share of matches among candidate pairs by EM, without
// labels. Either can be fixed by hand, and reviewer decisions re-estimate m.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "link/fields.h"

namespace izde::link {

inline constexpr size_t kMaxFields = 16;
using Levels = std::array<uint8_t, kMaxFields>;

// The level of every field for the pair (a, b).
Levels CompareRecords(const Prepared& p, size_t a, size_t b);
// The same between two prepared sets (linking list A to list B).
Levels CompareRecords(const Prepared& pa, size_t a, const Prepared& pb, size_t b);

struct FieldWeights {
  std::vector<double> m, u;  // per level; level 0 (missing) unused
};

struct Model {
  std::vector<FieldWeights> fields;
  double prior = 0.01;  // share of matches among candidate pairs
  int em_iterations = 0;

  // Bayes factor of a level, in bits (log2 m/u); 0 for missing.
  double Weight(size_t field, uint8_t level) const;
  // log2 odds that the pair is a match, with term-frequency adjustment.
  double Score(const Schema& schema, const Levels& levels, const FieldValue* a,
               const FieldValue* b) const;
  // The same from the records' summaries (Prepared::summaries).
  double Score(const Schema& schema, const Levels& levels, const FieldSummary* a,
               const FieldSummary* b) const;
  // The adjustment alone, for explanations: log2(u_exact / tf).
  double TermAdjustment(size_t field, uint8_t level, const FieldSpec& spec, float tf_a,
                        float tf_b) const;
};

double Probability(double log2_odds);

// Two groups of records (clusters) compared as one person against another: per
// field, a disagreement between any two members counts for dates, places, numbers
// and categories (two birthdays, two places, two sexes: the groups are two people),
// else the best agreement any two members show — so a cluster whose records carry the birth date
// and one carrying the place add up, where pair by pair each shares nothing but the name. Names:
// the best-agreeing pair with its term-frequency adjustment (one record's name in an unusual script
// does not count against the others); free text the same (typos). `weakest` receives the lowest
// member pair score, -infinity when `forbidden` holds for a pair.
// `name_bits`, when given, receives what the name fields contributed.
double ScoreGroups(const Model& model, const Prepared& p, std::span<const uint32_t> a,
                   std::span<const uint32_t> b,
                   const std::function<bool(uint32_t, uint32_t)>& forbidden, double* weakest,
                   double* name_bits = nullptr);

// Starting values: agreement likely among matches, rare among non-matches.
Model InitialModel(const Schema& schema);

// u from random pairs of `p` (dedupe) or of `p` × `q` (linking two lists).
void EstimateU(Model& model, const Prepared& p, const Prepared* q, size_t samples, uint64_t seed,
               int threads);

// Level patterns with their counts, the input EM works on.
struct PatternCounts {
  std::vector<Levels> patterns;
  std::vector<double> counts;
  void Add(const Levels& levels, double count = 1);
  void Merge(const PatternCounts& other);

 private:
  std::unordered_map<uint64_t, size_t> slot_;  // levels packed 3 bits a field -> index
};

// EM over candidate-pair patterns. With fix_u, u stays as estimated from random
// pairs (more robust: EM's u is pulled by dependent fields).
// `active` (empty = all) limits the fields EM scores and updates; with fix_m only
// the prior is estimated.
void EstimateByEm(Model& model, const Schema& schema, const PatternCounts& counts, bool fix_u,
                  int max_iterations = 100, const std::vector<bool>& active = {},
                  bool fix_m = false);

// EM in sessions, as Splink does: candidate pairs come from blocking on names, dates
// and numbers, so among them agreement on those fields is common between different
// people (namesakes) and one EM over all of them mistakes "blocked together" for
// "same person". Each session takes the pairs that agree on one identifying field
// and estimates m for the others (where, given the agreement, matches and namesakes
// differ); each field's m is the mean over the sessions that did not condition on it.
// The prior is then estimated over all candidates with m and u held.
//
// The prior is the chance that two records drawn at random match (the u are from
// random pairs, so the prior must be too): from each session, by Bayes,
// P(match) = P(match | agree) × P(agree) / P(agree | match), with P(agree) the
// session's pair count over `all_pairs` (every pair of records); the median over
// sessions. The counts must come from the candidate pairs (blocking includes each
// session field's value, so agreeing pairs are candidates).
// `counts` may be from a sample of the candidates: `sample_fraction` scales them back.
// `present` (empty: all 1) is, per field, the share of all pairs whose two values are
// both present: a session's agreement among matches is m(agree) times that share,
// since m is estimated among pairs where the field can be compared (an ID number
// on a quarter of the records agrees for a sixteenth of the matches at most).
void EstimateBySessions(Model& model, const Schema& schema, const PatternCounts& counts, bool fix_u,
                        double all_pairs, double sample_fraction = 1,
                        const std::vector<double>& present = {});

// Reviewer decisions: pairs known to match re-estimate m directly; pairs known
// not to match re-estimate u, blended with the random-pair estimate by count.
void UpdateFromDecisions(Model& model, const Schema& schema, const std::vector<Levels>& matches,
                         const std::vector<Levels>& non_matches);

}  // namespace izde::link
