"""Messages of `libsync merge` and `libsync search` (the union catalogue)."""

MESSAGES = {
    # errors and problems
    "catalog.bad_audience": (
        "Đối tượng xem không hợp lệ: {audience} (dùng: {known}).",
        "Unknown audience: {audience} (use: {known}).",
    ),
    "catalog.bad_overrides": (
        "{path}: tệp quyết định hợp nhất không hợp lệ ở '{field}' (mỗi mục cần records: [MÃ/biểu-ghi, MÃ/biểu-ghi] …); chạy `libsync validate catalog/overrides.yaml`.",
        "{path}: invalid merge-decision file at '{field}' (each entry needs records: [LIB/record, LIB/record] …); run `libsync validate catalog/overrides.yaml`.",
    ),
    "catalog.overrides_contradict": (
        "{path}: {a} và {b} vừa được ghi 'luôn gộp' vừa 'không bao giờ gộp'; hãy giữ một quyết định.",
        "{path}: {a} and {b} are both 'always merge' and 'never merge'; keep one decision.",
    ),
    "catalog.no_cluster": (
        "Không có cụm hoặc biểu ghi {cluster} trong mục lục liên hợp (đối tượng xem: {audience}).",
        "No cluster or record {cluster} in the union catalogue (audience: {audience}).",
    ),
    "catalog.skipped": (
        "{count} tệp biểu ghi bị bỏ qua vì không hợp lệ:",
        "{count} record files were left out because they are invalid:",
    ),
    "catalog.bad_limit": ("--limit phải là số từ 1 đến 1000.", "--limit must be a number from 1 to 1000."),
    # merge summary
    "catalog.summary": (
        "Mục lục liên hợp ({audience}): {records} biểu ghi → {clusters} tên sách; {merged} tên sách có ở nhiều thư viện; {conflicts} xung đột, {uncertain} cặp cần người quyết định.",
        "Union catalogue ({audience}): {records} records → {clusters} titles; {merged} titles held by several libraries; {conflicts} conflicts, {uncertain} pairs for a person to decide.",
    ),
    "catalog.written": ("Đã ghi {path}.", "Wrote {path}."),
    "catalog.col.id": ("Mã cụm", "Cluster"),
    "catalog.col.title": ("Nhan đề", "Title"),
    "catalog.col.libraries": ("Thư viện (còn/tổng)", "Libraries (free/total)"),
    "catalog.col.records": ("Biểu ghi", "Records"),
    "catalog.col.score": ("Điểm", "Score"),
    "catalog.col.reasons": ("Lý do", "Reasons"),
    "catalog.col.rule": ("Căn cứ", "Rule"),
    "catalog.col.type": ("Loại", "Type"),
    "catalog.conflicts": ("Xung đột (cùng ISBN/ISSN nhưng khác sách — cần sửa biểu ghi):", "Conflicts (same ISBN/ISSN, different books — fix the records):"),
    "catalog.uncertain": ("Cặp chưa chắc chắn (ghi quyết định vào catalog/overrides.yaml):", "Uncertain pairs (record the decision in catalog/overrides.yaml):"),
    "catalog.none_uncertain": ("Không có cặp nào cần người quyết định.", "No pair needs a person's decision."),
    "catalog.explain.head": ("Cụm {id}: {title}", "Cluster {id}: {title}"),
    "catalog.explain.members": ("Thành viên:", "Members:"),
    "catalog.explain.single": ("Cụm chỉ có một biểu ghi: không có biểu ghi nào khác đủ giống.", "The cluster has one record: no other record was close enough."),
    "catalog.explain.joined": ("Lý do gộp:", "Why they were joined:"),
    "catalog.explain.edge": ("{a} + {b}: {rule}", "{a} + {b}: {rule}"),
    "catalog.rule.isbn": ("cùng ISBN", "same ISBN"),
    "catalog.rule.issn": ("cùng ISSN", "same ISSN"),
    "catalog.rule.exact": ("mô tả trùng khớp (nhan đề, tác giả, nhà xuất bản, tập, năm …)", "identical description (title, authors, publisher, volume, year …)"),
    "catalog.rule.fuzzy": ("nhan đề giống {title}%, tác giả giống {author}%", "title {title}% alike, authors {author}% alike"),
    "catalog.rule.override": ("quyết định trong catalog/overrides.yaml (luôn gộp)", "decision in catalog/overrides.yaml (always merge)"),
    "catalog.reason.title": ("nhan đề chỉ gần giống", "titles only similar"),
    "catalog.reason.author": ("tác giả khác", "different authors"),
    "catalog.reason.author-missing": ("một biểu ghi thiếu tác giả", "one record lacks authors"),
    "catalog.reason.publisher": ("nhà xuất bản khác", "different publisher"),
    "catalog.reason.volume-missing": ("một biểu ghi không ghi tập", "one record has no volume"),
    "catalog.reason.volume": ("khác tập", "different volume"),
    "catalog.reason.grade": ("khác lớp", "different grade"),
    "catalog.reason.series": ("khác bộ sách", "different series"),
    "catalog.reason.edition": ("khác lần xuất bản", "different edition"),
    "catalog.reason.year": ("khác năm xuất bản", "different year"),
    "catalog.reason.numbers": ("số trong nhan đề khác nhau", "different numbers in the title"),
    "catalog.reason.isbn": ("khác ISBN", "different ISBN"),
    "catalog.reason.issn": ("khác ISSN", "different ISSN"),
    "catalog.reason.form": ("khác dạng (sách in / tài liệu số)", "different form (print / digital)"),
    "catalog.reason.kind": (
        "khác loại sách (sách giáo khoa / sách bài tập / sách giáo viên)",
        "different kind of book (pupil's book / workbook / teacher's book)",
    ),
    "catalog.reason.kind-missing": (
        "một biểu ghi là sách bài tập hoặc sách giáo viên, biểu ghi kia không rõ loại",
        "one record is a workbook or teacher's book, the other's kind is not known",
    ),
    "catalog.reason.never-merge": ("có quyết định 'không bao giờ gộp'", "a 'never merge' decision"),
    "catalog.reason.diacritics": (
        "nhan đề khác dấu (khác thanh, khác dấu chữ hoặc đ/d) — là từ khác, không phải lỗi gõ",
        "titles differ in tone marks, vowel marks or đ/d — other words, not a typo",
    ),
    # search
    "catalog.search.none": ("Không tìm thấy tài liệu nào cho “{query}”.", "Nothing found for “{query}”."),
    "catalog.search.count": ("{count} kết quả cho “{query}” (đối tượng xem: {audience}).", "{count} results for “{query}” (audience: {audience})."),
    "catalog.search.holding": ("{library}: còn {available}/{copies}", "{library}: {available}/{copies} free"),
    "catalog.search.dropped": (
        "Câu tìm quá dài: chỉ tìm theo {kept} từ khác nhau đầu tiên, bỏ qua {dropped} từ còn lại.",
        "The query is too long: only its first {kept} different words were searched; {dropped} words after them were left out.",
    ),
    "site.ui.search.dropped": (
        "Câu tìm quá dài: chỉ tìm theo {kept} từ khác nhau đầu tiên, bỏ qua {dropped} từ còn lại.",
        "The query is too long: only its first {kept} different words were searched; {dropped} were left out.",
    ),
    "catalog.search.rebuilt": ("Đã cập nhật chỉ mục tìm kiếm ({clusters} tên sách).", "Search index updated ({clusters} titles)."),
    "catalog.access.catalog": ("chỉ xem thông tin", "record only"),
    "catalog.access.read": ("đọc tại chỗ", "read on site"),
    "catalog.access.download": ("tải về được", "downloadable"),
    # help
    "help.merge": (
        "Hợp nhất biểu ghi của các thư viện thành mục lục liên hợp (gộp bản trùng, giữ số bản từng thư viện).",
        "Merge the libraries' records into the union catalogue (deduplicated, with each library's copies).",
    ),
    "help.merge.explain": (
        "Giải thích vì sao các biểu ghi của một cụm được gộp (mã cụm c-… hoặc MÃ/biểu-ghi).",
        "Explain why a cluster's records were joined (cluster id c-… or LIB/record).",
    ),
    "help.merge.uncertain": (
        "Liệt kê các cặp chưa chắc chắn và xung đột để người biên mục quyết định.",
        "List uncertain pairs and conflicts for a cataloguer to decide.",
    ),
    "help.merge.output": ("Ghi mục lục liên hợp (JSON) ra tệp này.", "Write the union catalogue (JSON) to this file."),
    "help.search": (
        "Tìm trong mục lục liên hợp (không phân biệt hoa thường và dấu): thư viện nào có, còn bao nhiêu bản.",
        "Search the union catalogue (case- and diacritic-insensitive): which libraries hold it, how many copies are free.",
    ),
    "help.search.query": ("Từ khóa tìm, ví dụ \"toan 6\" hoặc \"de men phieu luu ky\".", "What to look for, e.g. \"toan 6\"."),
    "help.search.type": ("Chỉ loại tài liệu này (textbook, reference, story …).", "Only this type (textbook, reference, story …)."),
    "help.search.grade": ("Chỉ sách của lớp này (1–12).", "Only books for this grade (1–12)."),
    "help.search.subject": ("Chỉ môn học / chủ đề này.", "Only this subject."),
    "help.search.available": ("Chỉ tài liệu còn bản trên giá.", "Only titles with a copy on the shelf now."),
    "help.search.limit": ("Số kết quả tối đa (mặc định 20).", "Most results to show (default 20)."),
    "help.search.library": ("Chỉ tài liệu thư viện này có.", "Only titles this library holds."),
}

MESSAGES.update({
    "catalog.search.skipped": (
        "Lưu ý: {count} tệp biểu ghi không hợp lệ nên không có trong kết quả ({files}); chạy `libsync validate` để xem lỗi.",
        "Note: {count} record files are invalid and not searched ({files}); run `libsync validate` to see why.",
    ),
})

# GDPT 2018 school books on import (libsync.model.gdpt, libsync.interchange.importer; docs/gdpt.md)
MESSAGES.update({
    "interchange.inferred.type": (
        "loại suy ra từ nhan đề: {type} (“{evidence}”)",
        "type told by the title: {type} (“{evidence}”)",
    ),
    "interchange.inferred.canonical": (
        "{field}: “{before}” ghi theo tên chuẩn “{after}”",
        "{field}: “{before}” stored by its canonical name “{after}”",
    ),
    "interchange.inferred.types_line": (
        "Loại tài liệu: {n} biểu ghi không có loại được suy ra từ nhan đề — {types}; xem provenance.inferred trong từng biểu ghi.",
        "Types: {n} records without a type got the type their title tells — {types}; see provenance.inferred in each record.",
    ),
    "interchange.inferred.canonical_line": (
        "Tên chuẩn: {n} tên bộ sách / nhà xuất bản được ghi theo tên chuẩn — {fields}; cách viết gốc giữ trong provenance.original.",
        "Canonical names: {n} series / publisher names were stored by their canonical name — {fields}; the source's spelling is kept in provenance.original.",
    ),
    "help.search.series": (
        "Chỉ tài liệu thuộc bộ sách này (viết tắt hay tên đầy đủ đều được: KNTT, CTST, CD, Cánh Diều …).",
        "Only titles of this textbook series (abbreviation or full name: KNTT, CTST, CD, Cánh Diều …).",
    ),
    "site.ui.filter.series": ("Bộ sách", "Textbook series"),
})
