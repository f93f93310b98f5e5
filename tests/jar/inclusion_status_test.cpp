#include "httpstate/jar/inclusion_status.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace httpstate {
namespace {

TEST(InclusionStatusTest, IncludedReadsAsItsOutcome) {
  InclusionStatus st;
  EXPECT_TRUE(st.included());
  EXPECT_EQ(st.to_string(), "included");
  st.set_outcome(InclusionStatus::Outcome::stored);
  EXPECT_EQ(st.to_string(), "stored");
  st.set_outcome(InclusionStatus::Outcome::replaced);
  EXPECT_EQ(st.to_string(), "replaced");
}

TEST(InclusionStatusTest, DomainReasonsNameTheDomain) {
  InclusionStatus st;
  st.add(Exclusion::domain_public_suffix);
  st.set_domain("co.uk");
  EXPECT_FALSE(st.included());
  EXPECT_TRUE(st.has(Exclusion::domain_public_suffix));
  EXPECT_FALSE(st.has(Exclusion::domain_mismatch));
  EXPECT_EQ(st.to_string(), "rejected: Domain=co.uk is a public suffix");
}

TEST(InclusionStatusTest, SeveralReasonsAreJoined) {
  InclusionStatus st;
  st.add(Exclusion::secure_from_insecure);
  st.add(Exclusion::samesite_none_insecure);
  EXPECT_EQ(st.to_string(), "rejected: a Secure cookie from an insecure origin; SameSite=None without Secure");
}

TEST(InclusionStatusTest, ParseErrorsCarryTheParserReason) {
  InclusionStatus st;
  st.set_parse_error(ParseError::name_value_too_long);
  EXPECT_EQ(st.parse_error(), ParseError::name_value_too_long);
  EXPECT_EQ(st.to_string(), "rejected: the Set-Cookie line is malformed (" +
                                std::string(to_string(ParseError::name_value_too_long)) + ")");
}

TEST(InclusionStatusTest, RetrievalReasonsReadAsNotSent) {
  InclusionStatus st;
  st.add(Exclusion::same_site_strict);
  EXPECT_EQ(st.to_string(), "not sent: a SameSite=Strict cookie on a request that is not same-site");
  EXPECT_FALSE(is_storage_exclusion(Exclusion::same_site_strict));
  EXPECT_TRUE(is_storage_exclusion(Exclusion::expired_on_arrival));
}

TEST(InclusionStatusTest, EveryExclusionHasItsOwnText) {
  std::set<std::string_view> seen;
  for (int i = 0; i <= static_cast<int>(Exclusion::expired); ++i) {
    auto text = to_string(static_cast<Exclusion>(i));
    EXPECT_FALSE(text.empty());
    EXPECT_NE(text, "unknown reason");
    EXPECT_TRUE(seen.insert(text).second) << text;
  }
}

}  // namespace
}  // namespace httpstate
