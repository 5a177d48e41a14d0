// A small XML scanner for tests: enough to say whether a document is well-formed (tags balance,
// attributes quoted, only the five predefined entities, one root; stricter than XML, a raw '>'
// in text is refused too, as the charts escape it) and to query its elements, so the SVG tests
// need no XML library.
#pragma once

#include <cctype>
#include <map>
#include <string>
#include <vector>

namespace credo::report::test_xml {

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;  // raw (still escaped) values
  std::string text;                               // character data directly inside, decoded
};

struct ScannedXml {
  std::string error;  // empty when well-formed
  std::vector<Element> elements;

  std::vector<const Element*> all(const std::string& name, const std::string& cls = "") const {
    std::vector<const Element*> found;
    for (const Element& e : elements) {
      if (e.name != name) continue;
      auto it = e.attributes.find("class");
      if (!cls.empty() && (it == e.attributes.end() || it->second != cls)) continue;
      found.push_back(&e);
    }
    return found;
  }
  bool has_text(const std::string& text, const std::string& element = "text") const {
    for (const Element& e : elements) {
      if (e.name == element && e.text == text) return true;
    }
    return false;
  }
};

// Decodes the five predefined entities; returns false on a bare or unknown '&'.
inline bool decode_entities(const std::string& raw, std::string* out) {
  static const std::map<std::string, char> kEntities = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      *out += raw[i];
      continue;
    }
    size_t semicolon = raw.find(';', i);
    if (semicolon == std::string::npos) return false;
    auto it = kEntities.find(raw.substr(i + 1, semicolon - i - 1));
    if (it == kEntities.end()) return false;
    *out += it->second;
    i = semicolon;
  }
  return true;
}

// `root`: the name the one root element must have ("svg", or "html" for the HTML reports, which
// are written as well-formed XML; a leading <!DOCTYPE ...> is skipped).
inline ScannedXml scan_xml(const std::string& doc, const std::string& root = "svg") {
  ScannedXml result;
  auto fail = [&](const std::string& why, size_t at) {
    result.error = why + " at offset " + std::to_string(at);
    return result;
  };
  std::vector<size_t> open;  // indices into elements
  int roots = 0;
  size_t i = 0;
  if (doc.rfind("<?xml", 0) == 0) i = doc.find("?>") + 2;
  if (doc.compare(i, 9, "<!DOCTYPE") == 0) i = doc.find('>', i) + 1;
  while (i < doc.size()) {
    if (doc[i] != '<') {
      size_t next = doc.find('<', i);
      std::string raw = doc.substr(i, next - i), decoded;
      if (raw.find('>') != std::string::npos) return fail("raw '>' in text", i);
      if (!decode_entities(raw, &decoded)) return fail("bad entity in text", i);
      if (open.empty()) {
        if (decoded.find_first_not_of(" \n\t\r") != std::string::npos) return fail("text outside root", i);
      } else {
        result.elements[open.back()].text += decoded;
      }
      i = next == std::string::npos ? doc.size() : next;
      continue;
    }
    if (doc.compare(i, 4, "<!--") == 0) {
      i = doc.find("-->", i);
      if (i == std::string::npos) return fail("unclosed comment", 0);
      i += 3;
      continue;
    }
    auto read_name = [&](size_t& k) {
      size_t start = k;
      while (k < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[k])) || doc[k] == '-' ||
                                doc[k] == '_' || doc[k] == ':'))
        ++k;
      return doc.substr(start, k - start);
    };
    if (doc.compare(i, 2, "</") == 0) {
      size_t k = i + 2;
      std::string name = read_name(k);
      if (k >= doc.size() || doc[k] != '>') return fail("bad end tag", i);
      if (open.empty() || result.elements[open.back()].name != name) return fail("unbalanced </" + name + ">", i);
      open.pop_back();
      i = k + 1;
      continue;
    }
    size_t k = i + 1;
    Element element;
    element.name = read_name(k);
    if (element.name.empty()) return fail("empty tag name", i);
    bool self_closing = false;
    while (true) {
      while (k < doc.size() && std::isspace(static_cast<unsigned char>(doc[k]))) ++k;
      if (k >= doc.size()) return fail("unterminated tag", i);
      if (doc.compare(k, 2, "/>") == 0) {
        self_closing = true;
        k += 2;
        break;
      }
      if (doc[k] == '>') {
        ++k;
        break;
      }
      std::string attribute = read_name(k);
      if (attribute.empty() || k + 1 >= doc.size() || doc[k] != '=' || (doc[k + 1] != '"' && doc[k + 1] != '\''))
        return fail("bad attribute in <" + element.name + ">", k);
      char quote = doc[k + 1];
      size_t end = doc.find(quote, k + 2);
      if (end == std::string::npos) return fail("unterminated attribute", k);
      std::string raw = doc.substr(k + 2, end - k - 2), decoded;
      if (raw.find('<') != std::string::npos || !decode_entities(raw, &decoded))
        return fail("bad attribute value", k);
      if (!element.attributes.emplace(attribute, raw).second) return fail("duplicate attribute " + attribute, k);
      k = end + 1;
    }
    if (open.empty()) {
      if (++roots > 1) return fail("second root element", i);
    }
    result.elements.push_back(element);
    if (!self_closing) open.push_back(result.elements.size() - 1);
    i = k;
  }
  if (!open.empty()) return fail("unclosed <" + result.elements[open.back()].name + ">", doc.size());
  if (roots != 1 || result.elements.empty() || result.elements[0].name != root) return fail("root is not <" + root + ">", 0);
  return result;
}

}  // namespace credo::report::test_xml
