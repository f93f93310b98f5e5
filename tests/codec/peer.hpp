#pragma once
// Runs an interop peer (Python or node) once for a whole batch: requests as JSON lines on its
// stdin, answers as JSON lines on its stdout, matched by "id".
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace httpstate::codec::testing {

inline std::map<int, nlohmann::json> run_peer(const std::string& command, const std::string& tag,
                                              const std::vector<nlohmann::json>& requests) {
  const std::string base = ::testing::TempDir() + "/codec_peer_" + tag + "_" + std::to_string(getpid());
  const std::string in = base + ".in", out = base + ".out", err = base + ".err";
  {
    std::ofstream f(in, std::ios::binary);
    for (const auto& r : requests) f << r.dump() << '\n';
  }
  const std::string cmd = command + " < '" + in + "' > '" + out + "' 2> '" + err + "'";
  const int rc = std::system(cmd.c_str());
  std::map<int, nlohmann::json> answers;
  std::ifstream f(out, std::ios::binary);
  std::string line;
  while (std::getline(f, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("id")) continue;
    const int id = j["id"].get<int>();  // before the move: the right side of = is evaluated first
    answers[id] = std::move(j);
  }
  if (rc != 0 || answers.size() != requests.size()) {
    std::ifstream e(err);
    std::string errors((std::istreambuf_iterator<char>(e)), {});
    ADD_FAILURE() << command << " exited " << rc << " with " << answers.size() << "/" << requests.size()
                  << " answers; stderr:\n" << errors.substr(0, 4000);
  }
  for (const auto& path : {in, out, err}) std::remove(path.c_str());
  return answers;
}

inline const std::string python = "/usr/bin/python3";  // Debian's, with the peers installed
inline std::string node() { return std::string("NODE_PATH='") + HTTPSTATE_NODE_PATH + "' node"; }

}  // namespace httpstate::codec::testing
