// Runs a polkit .rules file under node with a stand-in `polkit` object and prints, as JSON, what the rules
// answer for each request: "yes", "no", or null (not handled).
// Usage: node evaluate-rule.js <rules file> '[{"id": "...", "user": "...", "unit": "...", "verb": "..."}]'
"use strict";
const fs = require("fs");
const vm = require("vm");

const rules = [];
const polkit = {
  addRule: (rule) => rules.push(rule),
  Result: { YES: "yes", NO: "no", NOT_HANDLED: null },
  log: () => {},
};
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), { polkit }, { filename: process.argv[2] });

const requests = JSON.parse(process.argv[3]);
const answers = requests.map((r) => {
  const action = { id: r.id, lookup: (key) => r[key] };
  const subject = { user: r.user };
  for (const rule of rules) {
    const answer = rule(action, subject);
    if (answer !== null && answer !== undefined) {
      return answer;
    }
  }
  return null;
});
process.stdout.write(JSON.stringify(answers));
