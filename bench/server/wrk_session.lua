-- wrk as many browser tabs: each request carries one of SESSIONS session cookies, collected
-- from the server's first answers, round robin; so every request loads and saves a session.
-- Usage: SESSIONS=1000 wrk -t1 -c64 -d10s -s wrk_session.lua http://127.0.0.1:PORT/counter
local sessions = tonumber(os.getenv("SESSIONS") or "1000")
local jar, sent = {}, 0

response = function(status, headers, body)
  local line = headers["Set-Cookie"] or headers["set-cookie"]
  if line and #jar < sessions then jar[#jar + 1] = line:match("^([^;]+)") end
end

request = function()
  sent = sent + 1
  if #jar < sessions then return wrk.format("GET") end
  return wrk.format("GET", nil, { Cookie = jar[(sent % sessions) + 1] })
end
