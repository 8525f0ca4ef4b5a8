// Accuracy on the FEBRL benchmark (../shared/data/febrl), with no labels used in
// training: the model is estimated by EM on each file.
#include "link/febrl.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "link/evaluate.h"
#include "link/linker.h"

namespace izde::link {
namespace {

std::string Febrl(const std::string& name) {
  const char* shared = std::getenv("IZDE_SHARED_DIR");
  return std::string(shared ? shared : "../shared") + "/data/febrl/" + name;
}

TEST(Febrl, Dataset4LinksAtF1AtLeast099) {
  auto a = ReadFebrl(Febrl("febrl_dataset4a.csv"));
  auto b = ReadFebrl(Febrl("febrl_dataset4b.csv"));
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  LinkOptions o;
  o.threads = 2;
  ListLink link = LinkLists(a->records, b->records, o);
  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (const auto& p : MutualBest(link.pairs))
    if (Probability(p.score) >= o.match_probability) links.emplace_back(p.a, p.b);
  PairwiseScore s = ScoreLinks(links, a->entity, b->entity);
  std::printf("FEBRL 4: precision %.4f recall %.4f F1 %.4f (%llu comparisons, prior %.4f)\n",
              s.precision(), s.recall(), s.f1(),
              static_cast<unsigned long long>(link.stats.comparisons), link.model.prior);
  EXPECT_GE(s.f1(), 0.99);
}

TEST(Febrl, Dataset3DedupesAtPairwiseF1AtLeast095) {
  auto f = ReadFebrl(Febrl("febrl_dataset3.csv"));
  ASSERT_TRUE(f.ok()) << f.status().message();
  LinkOptions o;
  o.threads = 2;
  Linker l = Linker::Build(f->records, o);
  std::vector<std::string> cluster;
  for (uint32_t r = 0; r < l.prepared().size(); ++r) cluster.push_back(l.ClusterId(r));
  PairwiseScore s = ScoreClusters(cluster, f->entity);
  std::printf("FEBRL 3: precision %.4f recall %.4f F1 %.4f (%llu comparisons, prior %.4f)\n",
              s.precision(), s.recall(), s.f1(),
              static_cast<unsigned long long>(l.stats().comparisons), l.model().prior);
  EXPECT_GE(s.f1(), 0.95);
}

}  // namespace
}  // namespace izde::link
