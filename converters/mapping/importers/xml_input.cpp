#include "mapping/importers/xml_input.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include <algorithm>
#include <climits>
#include <mutex>

#include "casefhir/errors.h"
#include "readers/utf8.h"
#include "readers/xml.h"

namespace casefhir::mapping::importers {

namespace {

// One deleter for every libxml2 object this file owns.
struct XmlDeleter {
  void operator()(xmlTextReader* r) const { xmlFreeTextReader(r); }
  void operator()(xmlChar* s) const { xmlFree(s); }
};

// The fixed options of every parse: never NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE.
constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;

std::string from_xml(const xmlChar* s) { return s ? std::string(reinterpret_cast<const char*>(s)) : std::string(); }

// The offset of the ordinal-th start tag <element (1-based), skipping comments, CDATA sections
// and processing instructions; npos when there is none.
std::size_t start_tag_offset(const std::string& text, std::string_view element, std::size_t ordinal) {
  const auto skip_to = [&](std::size_t p, std::string_view end) {
    const std::size_t e = text.find(end, p);
    return e == std::string::npos ? text.size() : e + end.size() - 1;
  };
  std::size_t seen = 0;
  for (std::size_t p = text.find('<'); p != std::string::npos && p < text.size(); p = text.find('<', p + 1)) {
    if (text.compare(p, 4, "<!--") == 0) {
      p = skip_to(p, "-->");
    } else if (text.compare(p, 9, "<![CDATA[") == 0) {
      p = skip_to(p, "]]>");
    } else if (text.compare(p, 2, "<?") == 0) {
      p = skip_to(p, "?>");
    } else if (text.compare(p + 1, element.size(), element) == 0 && p + 1 + element.size() < text.size()) {
      const char after = text[p + 1 + element.size()];
      const bool name_ends = after == '>' || after == '/' || after == ' ' || after == '\t' || after == '\r' || after == '\n';
      if (name_ends && ++seen == ordinal) return p;
    }
  }
  return std::string::npos;
}

}  // namespace

struct XmlStream::Reader {
  std::unique_ptr<xmlTextReader, XmlDeleter> reader;
  std::string error;
  std::size_t error_line = 0, error_column = 0;

  static void on_error(void* self, xmlErrorPtr e) {
    auto* r = static_cast<Reader*>(self);
    if (!r->error.empty() || e == nullptr || e->level < XML_ERR_ERROR) return;   // keep the first error
    r->error = e->message ? e->message : "not well-formed XML";
    while (!r->error.empty() && (r->error.back() == '\n' || r->error.back() == ' ')) r->error.pop_back();
    r->error_line = e->line > 0 ? static_cast<std::size_t>(e->line) : 0;
    r->error_column = e->int2 > 0 ? static_cast<std::size_t>(e->int2) : 0;
  }
};

XmlStream::XmlStream(const std::string& text, const std::string& file) : text_(text), file_(file) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  if (const std::size_t p = readers::read_prolog(text).doctype; p != std::string::npos) {
    const auto at = readers::line_column(text, p);
    throw Error(ErrorKind::input_malformed, Location{file_, at.line, at.column, {}},
                "a DOCTYPE is not accepted (its entity declarations could expand without limit)");
  }
  if (text.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(ErrorKind::input_too_large, Location{file_, 0, 0, {}}, "an XML file over 2 GiB is not supported");
  reader_ = std::make_unique<Reader>();
  reader_->reader.reset(xmlReaderForMemory(text.data(), static_cast<int>(text.size()), file_.c_str(), nullptr, kParseOptions));
  if (!reader_->reader) throw Error(ErrorKind::input_malformed, Location{file_, 0, 0, {}}, "cannot start the XML parser");
  xmlTextReaderSetStructuredErrorHandler(reader_->reader.get(), &Reader::on_error, reader_.get());
}

XmlStream::~XmlStream() = default;

bool XmlStream::next() {
  xmlTextReader* r = reader_->reader.get();
  for (;;) {
    const int status = xmlTextReaderRead(r);
    if (status == 0) return false;
    if (status < 0 || !reader_->error.empty()) {
      std::string reason = reader_->error.empty() ? "not well-formed XML" : reader_->error;
      // A cut-off file makes the streaming parser report odd things ("Extra content at the end of
      // the document") at the place the text stops: say so.
      const auto last_line = static_cast<std::size_t>(std::count(text_.begin(), text_.end(), '\n')) +
                             (text_.empty() || text_.back() == '\n' ? 0 : 1);
      if (reader_->error_line >= last_line) reason += " (where the file ends: is it truncated?)";
      throw Error(ErrorKind::input_malformed, Location{file_, reader_->error_line, reader_->error_column, {}}, reason);
    }
    const int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE)
      throw Error(ErrorKind::input_malformed, Location{file_, 0, 0, {}}, "a DOCTYPE is not accepted");
    if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT) continue;
    start_ = type == XML_READER_TYPE_ELEMENT;
    empty_ = start_ && xmlTextReaderIsEmptyElement(r) == 1;
    depth_ = xmlTextReaderDepth(r);
    name_ = from_xml(xmlTextReaderConstName(r));
    if (start_) ++starts_[name_];
    return true;
  }
}

std::string XmlStream::text() {
  std::unique_ptr<xmlChar, XmlDeleter> s(xmlTextReaderReadString(reader_->reader.get()));
  return from_xml(s.get());
}

std::size_t XmlStream::ordinal() const {
  const auto it = starts_.find(name_);
  return it == starts_.end() ? 0 : it->second;
}

void XmlStream::fail_at(std::string_view element, std::size_t ordinal, const std::string& reason) const {
  // libxml2 keeps no column for a node, and a streaming reader's position runs ahead of it: the
  // start tag is found again in the text by its order among the tags of that name.
  const std::size_t p = start_tag_offset(text_, element, ordinal);
  const auto at = p == std::string::npos ? readers::LineColumn{0, 0} : readers::line_column(text_, p);
  throw Error(ErrorKind::input_malformed, Location{file_, at.line, at.column, {}}, reason);
}

}  // namespace casefhir::mapping::importers
