// The jar's site table against std::set: inserts that grow it, erases that shift clusters back
// (and their tags with them), and rebuilds by erase_if, in an order fixed by a seed.
#include "site_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace httpstate::jar_detail {
namespace {

// Every key the model holds is found, as that key, and a sample of absent keys is not.
void expect_same(SiteIndex& index, const std::set<std::string>& model, int absent_from, int absent_to) {
  for (const std::string& k : model) {
    Site* s = index.find(k);
    ASSERT_NE(s, nullptr) << k;
    EXPECT_EQ(s->key(), k);
  }
  for (int i = absent_from; i < absent_to; ++i) {
    const std::string k = "site" + std::to_string(i) + ".example";
    if (!model.count(k)) {
      EXPECT_EQ(index.find(k), nullptr) << k;
    }
  }
  std::size_t seen = 0;
  index.for_each([&](Site&) { ++seen; });
  EXPECT_EQ(seen, model.size());
  EXPECT_EQ(index.empty(), model.empty());
}

TEST(SiteIndex, AgreesWithASetThroughGrowthAndErases) {
  EntryArena arena;
  SiteIndex index(arena);
  std::set<std::string> model;
  EXPECT_EQ(index.find("absent.example"), nullptr);
  std::mt19937 rng(6265);
  for (int i = 0; i < 3000; ++i) {
    const std::string k = "site" + std::to_string(i) + ".example";
    index.insert(k);
    model.insert(k);
  }
  expect_same(index, model, 0, 4000);
  // Erase two thirds in random order: every erase shifts its cluster back.
  std::vector<std::string> keys(model.begin(), model.end());
  std::shuffle(keys.begin(), keys.end(), rng);
  for (std::size_t i = 0; i < 2000; ++i) {
    Site* s = index.find(keys[i]);
    ASSERT_NE(s, nullptr);
    index.erase(*s);
    model.erase(keys[i]);
    if (i % 250 == 0) expect_same(index, model, 0, 4000);
  }
  expect_same(index, model, 0, 4000);
  // Re-insert some erased keys: freed slots take new members.
  for (std::size_t i = 0; i < 500; ++i) {
    index.insert(keys[i]);
    model.insert(keys[i]);
  }
  expect_same(index, model, 0, 4000);
}

TEST(SiteIndex, EraseIfKeepsTheRest) {
  EntryArena arena;
  SiteIndex index(arena);
  std::set<std::string> model;
  for (int i = 0; i < 500; ++i) {
    const std::string k = "site" + std::to_string(i) + ".example";
    index.insert(k).entries.clear();
    model.insert(k);
  }
  index.erase_if([](const Site& s) { return s.key().size() % 2 == 0; });
  std::erase_if(model, [](const std::string& k) { return k.size() % 2 == 0; });
  expect_same(index, model, 0, 600);
}

}  // namespace
}  // namespace httpstate::jar_detail
