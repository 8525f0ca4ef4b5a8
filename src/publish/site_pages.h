// The HTML pages of the published site (docs/formats/publish-site.md). Every value is
// escaped (server/html_escape.h: HTML metacharacters and bidi controls) and isolated in
// <bdi>; pages carry no inline script or style, so a strict Content-Security-Policy holds.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "publish/policy.h"
#include "publish/public_dataset.h"
#include "publish/site.h"

namespace izde::publish {

// The words of one language, looked up once.
class Words {
 public:
  explicit Words(std::string lang) : lang_(std::move(lang)) {}
  const std::string& operator()(const std::string& key);
  const std::string& lang() const { return lang_; }

 private:
  std::string lang_;
  std::unordered_map<std::string, std::string> cache_;
};

// A record id as a file name: the id itself when it is only ASCII letters, digits, '.',
// '_' and '-' (and does not start with '.'), else "x-" and its hex bytes.
std::string FileNameOf(std::string_view id);

struct SiteContext {
  const PublicDataset* data = nullptr;
  const Policy* policy = nullptr;
  // Evidence id -> path of its published copy, relative to the site root.
  std::map<std::string, std::string> media;
  size_t people_per_page = 500;
  const SiteStatistics* statistics = nullptr;  // null: every entry is its own person
};

inline constexpr const char* kBundlePath = "proof/bundle.json";
inline constexpr const char* kKeyPath = "proof/log.pub";

// The language shown by an entry page opened without a fragment.
inline constexpr const char* kDefaultLanguage = "en";

// A person's entry page, p/<FileNameOf(id)>.html: one section per language in
// `languages`, switched without JavaScript by the URL's fragment (p/P-1.html#ug).
std::string EntryPage(const SiteContext& site, const PersonEntry& entry,
                      std::vector<Words>& languages);
// Pages of one language, under its folder.
std::string PeoplePage(const SiteContext& site, size_t page, Words& w);
size_t PeoplePageCount(const SiteContext& site);
std::string HomePage(const SiteContext& site, Words& w);
std::string SearchPage(const SiteContext& site, Words& w);
std::string StatisticsPage(const SiteContext& site, Words& w);
// The statistics page's charts (src/report SVG): path under the language folder -> SVG.
std::vector<std::pair<std::string, std::string>> StatisticsCharts(const SiteContext& site,
                                                                  Words& w);
std::string VerifyPage(const SiteContext& site, Words& w);
// The site root's index.html: the language choice.
std::string RootPage(const SiteContext& site);

}  // namespace izde::publish
