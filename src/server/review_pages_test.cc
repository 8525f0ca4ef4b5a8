// The inquiries page's model: one page of sought people at a time, those with news
// first, and the count of open notices over every page.
#include "server/review_pages.h"

#include <gtest/gtest.h>

#include <string>

#include "identity/inquiries.h"

namespace izde::server {
namespace {

vault::OpenedVersion Version(model::Record r) {
  vault::OpenedVersion v;
  v.record = std::move(r);
  v.version = 1;
  v.created_at = 1700000000;
  return v;
}

// `sought` sought people S-000…; the ones whose number is a multiple of 7 have an open
// notice about a documented person P-1, and every 10th also a seen one.
identity::VaultView Inquiries(int sought) {
  identity::VaultView view;
  auto add = [&](model::Record r) { EXPECT_TRUE(view.Add(Version(std::move(r))).ok()); };
  add({"P-1", model::RecordType::kPerson, {{"names", {{{"text", "Documented One"}}}}}});
  for (int i = 0; i < sought; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "S-%03d", i);
    add({id, model::RecordType::kPerson, {{"kind", "sought"}, {"names", {{{"text", "Sought"}}}}}});
    auto notice = [&](const std::string& status, int n) {
      const std::string nid = "notice-" + std::string(id) + "-" + std::to_string(n);
      add({nid,
           model::RecordType::kNotice,
           {{"sought", id},
            {"person", "P-1"},
            {"probability", 0.9},
            {"accepted", "no"},
            {"new_records", {"P-1"}},
            {"reported", {"P-1"}},
            {"status", status}}});
    };
    if (i % 7 == 0) notice("open", 1);
    if (i % 10 == 0) notice("seen", 2);
  }
  view.Finish();
  return view;
}

TEST(InquiriesPage, OnePageAtATimeWithNewsFirst) {
  const auto view = Inquiries(130);
  const auto notices = identity::AllNotices(view);
  Viewer viewer;
  auto first = InquiriesModel(view, notices, viewer, false, 1, "en");
  // 19 open notices (0, 7, …, 126), counted over all pages.
  EXPECT_EQ(first["open"], "19");
  EXPECT_EQ(first["pages"], "3");
  EXPECT_TRUE(first["paged"].get<bool>());
  EXPECT_FALSE(first["has_previous"].get<bool>());
  EXPECT_TRUE(first["has_next"].get<bool>());
  EXPECT_EQ(first["next_href"], "/inquiries?page=2");
  ASSERT_EQ(first["sought"].size(), kInquiriesPerPage);
  // The 19 with news come first, then the others in id order.
  for (size_t i = 0; i < 19; ++i) EXPECT_TRUE(first["sought"][i]["has_notices"].get<bool>()) << i;
  EXPECT_FALSE(first["sought"][19]["has_notices"].get<bool>());
  EXPECT_EQ(first["sought"][0]["id"], "S-000");
  EXPECT_EQ(first["sought"][19]["id"], "S-001");

  auto last = InquiriesModel(view, notices, viewer, false, 3, "en");
  EXPECT_EQ(last["sought"].size(), 130u - 2 * kInquiriesPerPage);
  EXPECT_TRUE(last["has_previous"].get<bool>());
  EXPECT_EQ(last["previous_href"], "/inquiries?page=2");
  EXPECT_FALSE(last["has_next"].get<bool>());
  // A page past the end shows the last; page 0 the first.
  EXPECT_EQ(InquiriesModel(view, notices, viewer, false, 99, "en")["page"], "3");
  EXPECT_EQ(InquiriesModel(view, notices, viewer, false, 0, "en")["page"], "1");

  // With seen notices too: multiples of 7 or of 10 have notices; links keep all=1.
  auto all = InquiriesModel(view, notices, viewer, true, 1, "en");
  EXPECT_EQ(all["next_href"], "/inquiries?all=1&page=2");
  size_t with_news = 0;
  for (const auto& s : all["sought"]) with_news += s["has_notices"].get<bool>();
  EXPECT_EQ(with_news, 19u + 13u - 2u);  // S-000 and S-070 have both
}

TEST(InquiriesPage, FewInquiriesAreOnePageWithoutNavigation) {
  const auto view = Inquiries(3);
  auto m = InquiriesModel(view, identity::AllNotices(view), Viewer{}, false, 1, "en");
  EXPECT_FALSE(m["paged"].get<bool>());
  EXPECT_EQ(m["sought"].size(), 3u);
  EXPECT_EQ(m["open"], "1");
}

TEST(InquiriesPage, AViewerSeesOnlyTheSoughtPeopleTheyMayRead) {
  const auto view = Inquiries(30);
  Viewer viewer;
  viewer.read_all = false;
  viewer.shared = {"S-007", "S-008"};
  auto m = InquiriesModel(view, identity::AllNotices(view), viewer, false, 1, "en");
  ASSERT_EQ(m["sought"].size(), 2u);
  EXPECT_EQ(m["sought"][0]["id"], "S-007");
  EXPECT_EQ(m["open"], "1");
}

}  // namespace
}  // namespace izde::server
