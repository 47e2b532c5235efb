"""Messages of `libsync import` and `libsync export` (catalogue interchange)."""

MESSAGES = {
    # where something is in the source file
    "interchange.where.marc": ("biểu ghi số {n} (byte {offset})", "record {n} (byte {offset})"),
    "interchange.where.xml": ("biểu ghi số {n} (MARCXML)", "record {n} (MARCXML)"),
    "interchange.where.line": ("dòng {line}", "line {line}"),
    # broken MARC records
    "interchange.marc.bad_length": ("độ dài biểu ghi ở đầu biểu (leader) không hợp lệ", "the record length in the leader is invalid"),
    "interchange.marc.bad_leader": (
        "đầu biểu (leader) hỏng: độ dài hoặc địa chỉ dữ liệu không phải là số",
        "broken leader: the record length or base address is not a number",
    ),
    "interchange.marc.bad_base": (
        "địa chỉ bắt đầu dữ liệu ({base}) nằm ngoài biểu ghi",
        "the base address of data ({base}) lies outside the record",
    ),
    "interchange.marc.bad_directory": (
        "danh mục trường (directory) hỏng: không chia đúng thành các mục 12 ký tự số",
        "broken directory: it does not divide into 12-character numeric entries",
    ),
    "interchange.marc.bad_directory_entry": (
        "danh mục trường trỏ ra ngoài biểu ghi (trường {tag})",
        "a directory entry points outside the record (field {tag})",
    ),
    "interchange.marc.too_long": (
        "biểu ghi dài {size} byte, quá giới hạn {limit} byte của ISO 2709 (độ dài trong leader sai)",
        "the record is {size} bytes, over the ISO 2709 limit of {limit} (its leader length is wrong)",
    ),
    "interchange.marc.no_fields": ("biểu ghi không có trường nào", "the record has no fields"),
    "interchange.marc.truncated": (
        "biểu ghi bị cắt cụt (khai báo {declared} byte, chỉ có {found})",
        "truncated record (declares {declared} bytes, has {found})",
    ),
    "interchange.marc.bad_utf8": (
        "byte {byte} ở vị trí {at} không phải UTF-8 dù biểu ghi khai báo (hoặc bị ép) là UTF-8",
        "byte {byte} at offset {at} is not UTF-8 although the record is declared (or forced) UTF-8",
    ),
    "interchange.marc.unmappable": ("không chuyển được biểu ghi: {reason}", "the record could not be mapped: {reason}"),
    "interchange.marc.item_no_barcode": (
        "một bản sách ({tag}) không có số ĐKCB ($p) nên bị bỏ qua",
        "a copy ({tag}) has no barcode ($p) and was left out",
    ),
    "interchange.marc.bad_isbn": ("ISBN sai số kiểm tra, bỏ qua: {value}", "ISBN with a wrong check digit, ignored: {value}"),
    "interchange.marc.bad_url": ("đường dẫn 856 $u không hợp lệ, bỏ qua: {value}", "856 $u link is not valid, ignored: {value}"),
    "interchange.not_marc": (
        "{path}: không phải tệp MARC — không có biểu ghi MARC21 (ISO 2709) hay MARCXML nào; không nhập gì.",
        "{path}: not a MARC file — it holds no MARC21 (ISO 2709) or MARCXML record; nothing was imported.",
    ),
    "interchange.marcxml.bad": (
        "{path}, dòng {line}: tệp MARCXML hỏng ({reason}); không nhập biểu ghi nào.",
        "{path}, line {line}: broken MARCXML ({reason}); nothing was imported.",
    ),
    # export limits
    "interchange.export.field_too_big": (
        "Biểu ghi {id}: trường {tag} dài quá {limit} byte (giới hạn ISO 2709) — không xuất biểu ghi này ra MARC.",
        "Record {id}: field {tag} is longer than {limit} bytes (the ISO 2709 limit) — not exported to MARC.",
    ),
    "interchange.export.record_too_big": (
        "Biểu ghi {id}: phần thư mục đã dài {size} byte, quá giới hạn {limit} byte của ISO 2709 — không xuất ra MARC.",
        "Record {id}: its bibliographic part alone is {size} bytes, over the ISO 2709 limit of {limit} — not exported to MARC.",
    ),
    "interchange.export.split": (
        "Các biểu ghi có nhiều bản sách được tách thành nhiều biểu ghi MARC (cùng trường 001) để không quá 99.999 byte: {ids}",
        "Records with many copies were split over several MARC records (same 001) to stay under 99,999 bytes: {ids}",
    ),
    "interchange.export.done": (
        "Đã xuất {records} biểu ghi ({fmt}, đối tượng: {audience}) ra {path}.",
        "Exported {records} records ({fmt}, audience: {audience}) to {path}.",
    ),
    "interchange.export.marc_count": ("Số biểu ghi MARC đã ghi: {n}.", "MARC records written: {n}."),
    "interchange.export.bad_chars": (
        "Biểu ghi {id}: trường {field} chứa ký tự điều khiển {chars} mà {fmt} (XML) không chứa được — không xuất biểu ghi này. "
        "Chạy 'libsync validate' để tìm và sửa.",
        "Record {id}: field {field} holds the control character(s) {chars}, which {fmt} (XML) cannot carry — not exported. "
        "Run 'libsync validate' to find and fix it.",
    ),
    "interchange.export.cell_too_long": (
        "Biểu ghi {id}: cột {field} dài {size} ký tự, quá giới hạn {limit} ký tự của một ô Excel — không xuất biểu ghi này ra XLSX "
        "(Excel sẽ cắt mất phần sau).",
        "Record {id}: column {field} is {size} characters, over Excel's limit of {limit} per cell — not exported to XLSX "
        "(Excel would cut the rest off).",
    ),
    "interchange.export.refused": ("{n} biểu ghi không xuất được:", "{n} records could not be exported:"),
    # spreadsheets
    "interchange.xlsx.sheet": ("Sổ đăng ký", "Register"),
    "interchange.xlsx.bad": ("{path}: không đọc được tệp Excel (.xlsx): {reason}", "{path}: cannot read the Excel (.xlsx) file: {reason}"),
    "interchange.xlsx.too_big": (
        "{path}: tệp Excel khi giải nén sẽ chiếm {size} MB, vượt giới hạn {limit} MB (có thể là “bom nén”); không đọc tệp này.",
        "{path}: the Excel file would take {size} MB once unpacked, over the limit of {limit} MB (possibly a zip bomb); it was not read.",
    ),
    "interchange.xlsx.ratio": (
        "{path}: phần {part} của tệp Excel nén {compressed} MB nhưng giải nén ra {size} MB — gấp hơn {ratio} lần, "
        "dấu hiệu của “bom nén”; không đọc tệp này.",
        "{path}: part {part} of the Excel file is {compressed} MB packed but {size} MB unpacked — over {ratio} times, "
        "the mark of a zip bomb; it was not read.",
    ),
    "interchange.xlsx.too_many_parts": (
        "{path}: tệp Excel có {parts} phần, vượt giới hạn {limit}; không đọc tệp này.",
        "{path}: the Excel file has {parts} parts, over the limit of {limit}; it was not read.",
    ),
    "interchange.xlsx.entities": (
        "{path}: phần {part} của tệp Excel có khai báo DTD/thực thể XML (<!DOCTYPE, <!ENTITY) — tệp Excel thật không bao giờ có, "
        "còn kiểu “billion laughs” dùng nó để làm treo máy; không đọc tệp này.",
        "{path}: part {part} of the Excel file declares a DTD or XML entities (<!DOCTYPE, <!ENTITY) — a real Excel file "
        "never does, a “billion laughs” attack does; it was not read.",
    ),
    "interchange.xlsx.encoding": (
        "{path}: phần {part} của tệp Excel không phải XML dạng UTF-8; không đọc tệp này.",
        "{path}: part {part} of the Excel file is not XML in UTF-8; it was not read.",
    ),
    "interchange.xlsx.too_many_cells": (
        "{path}: trang tính {part} trải trên {rows} dòng × {cols} cột ({cells} ô), vượt giới hạn {limit} ô; không đọc tệp này. "
        "Nếu dữ liệu thật ít hơn, hãy xoá các dòng/cột trống phía sau dữ liệu (Ctrl+End chỉ ra ô cuối cùng) rồi lưu lại.",
        "{path}: worksheet {part} spans {rows} rows × {cols} columns ({cells} cells), over the limit of {limit} cells; "
        "it was not read. If the data is smaller, delete the empty rows and columns after it (Ctrl+End shows the last cell) and save again.",
    ),
    "interchange.map.bad": ("Tệp ánh xạ cột {path} không đọc được: {reason}", "Column mapping file {path} cannot be read: {reason}"),
    "interchange.map.unknown_field": (
        "{path}: cột '{heading}' được ánh xạ tới '{field}' — không có trường này. Dùng một trong: {fields}",
        "{path}: column '{heading}' is mapped to '{field}' — no such field. Use one of: {fields}",
    ),
    "interchange.table.no_header": (
        "{path}: không tìm thấy dòng tiêu đề cột (như Số ĐKCB, Tên sách, Tác giả …) trong 15 dòng đầu. Dùng --map để chỉ rõ các cột.",
        "{path}: no heading row (such as Số ĐKCB, Tên sách, Tác giả …) in the first 15 lines. Use --map to name the columns.",
    ),
    "interchange.table.no_title": (
        "{path}, dòng {line}: không có cột nhan đề (Tên sách / Nhan đề). Dùng --map để chỉ cột nhan đề.",
        "{path}, line {line}: no title column (Tên sách / Nhan đề). Use --map to name it.",
    ),
    "interchange.table.no_title_row": ("dòng có dữ liệu nhưng không có nhan đề", "the line has data but no title"),
    "interchange.table.cell_too_long": (
        "{path}, dòng {line}: một ô dài hơn {limit} ký tự — thường do một dấu ngoặc kép (\") mở ra mà không đóng lại, "
        "khiến phần còn lại của tệp thành một ô; không nhập gì.",
        "{path}, line {line}: a cell longer than {limit} characters — most often a quotation mark (\") opened and never closed, "
        "so the rest of the file became one cell; nothing was imported.",
    ),
    "interchange.table.bad_csv": (
        "{path}, dòng {line}: tệp CSV hỏng ({reason}); không nhập gì.",
        "{path}, line {line}: broken CSV file ({reason}); nothing was imported.",
    ),
    "interchange.table.bad_value": ("dòng {line}: giá trị '{value}' của cột {field} không hiểu được, bỏ qua", "line {line}: cannot understand '{value}' in column {field}, ignored"),
    "interchange.table.bad_isbn": ("dòng {line}: ISBN sai số kiểm tra, bỏ qua: {value}", "line {line}: ISBN with a wrong check digit, ignored: {value}"),
    # encodings
    "interchange.encoding.unknown": ("Bảng mã không hỗ trợ: {encoding} (dùng {choices}).", "Unsupported encoding: {encoding} (use {choices})."),
    "interchange.encoding.forced_wrong": (
        "{path}: tệp không phải bảng mã {encoding} như đã chọn (từ dòng {line} trở đi văn bản bị lỗi); có vẻ là {guess}. Bỏ --encoding hoặc chọn đúng bảng mã. Không nhập gì.",
        "{path}: the file is not in the {encoding} encoding you chose (the text breaks from line {line}); it looks like {guess}. Drop --encoding or pick the right one. Nothing was imported.",
    ),
    "interchange.encoding.unsure": (
        "Văn bản quá ít để chắc chắn về bảng mã; đã giả định {encoding}. Hãy kiểm tra tiếng Việt trong kết quả, hoặc dùng --encoding.",
        "Too little text to be sure of the encoding; assumed {encoding}. Check the Vietnamese text, or use --encoding.",
    ),
    "interchange.encoding.utf-8": ("UTF-8", "UTF-8"),
    "interchange.encoding.utf-8-unflagged": ("UTF-8 (leader/09 để trống)", "UTF-8 (leader/09 blank)"),
    "interchange.encoding.marc-8": ("MARC-8", "MARC-8"),
    "interchange.encoding.ascii": ("ASCII", "ASCII"),
    "interchange.encoding.cp1258": ("Windows-1258", "Windows-1258"),
    "interchange.encoding.utf-16": ("UTF-16", "UTF-16"),
    "interchange.encoding.utf-16-le": ("UTF-16 (little-endian, không có BOM)", "UTF-16 (little-endian, no BOM)"),
    "interchange.encoding.utf-16-be": ("UTF-16 (big-endian, không có BOM)", "UTF-16 (big-endian, no BOM)"),
    "interchange.encoding.tcvn3": ("TCVN3 (ABC, phông .VnTime)", "TCVN3 (ABC, .VnTime fonts)"),
    "interchange.encoding.vni": ("VNI (phông VNI-Times)", "VNI (VNI-Times fonts)"),
    # plan and outcome
    "interchange.summary": (
        "{source} → thư viện {library}: {total} biểu ghi — tạo mới {created}, cập nhật {updated}, không đổi {unchanged}, gộp {merged}, bỏ qua {skipped}, từ chối {rejected}.",
        "{source} → library {library}: {total} records — created {created}, updated {updated}, unchanged {unchanged}, merged {merged}, skipped {skipped}, rejected {rejected}.",
    ),
    "interchange.action.created": ("tạo mới", "created"),
    "interchange.action.updated": ("cập nhật", "updated"),
    "interchange.action.unchanged": ("không đổi", "unchanged"),
    "interchange.action.merged": ("gộp", "merged"),
    "interchange.action.skipped": ("bỏ qua", "skipped"),
    "interchange.action.rejected": ("từ chối", "rejected"),
    "interchange.invalid": ("không hợp lệ ở {field}: {reason}", "invalid at {field}: {reason}"),
    "interchange.reject.no_title": ("không có nhan đề (245 $a / cột Tên sách)", "no title (245 $a / title column)"),
    "interchange.reject.barcode_twice": ("số ĐKCB lặp lại trong cùng một đầu sách: {barcodes}", "barcode repeated within one title: {barcodes}"),
    "interchange.reject.barcode_in_file": (
        "số ĐKCB {barcode} đã dùng cho đầu sách khác trong cùng tệp (biểu ghi {id}, vị trí {position})",
        "barcode {barcode} is already used by another title in this file (record {id}, position {position})",
    ),
    "interchange.reject.barcode_other_library": (
        "số ĐKCB {barcode} đã thuộc biểu ghi {id} của thư viện {library} (số ĐKCB phải duy nhất trong cả mạng)",
        "barcode {barcode} already belongs to record {id} of library {library} (barcodes are unique across the network)",
    ),
    "interchange.reject.barcode_taken": (
        "số ĐKCB {barcode} đã thuộc biểu ghi khác trong kho: {id}",
        "barcode {barcode} already belongs to another record in the repository: {id}",
    ),
    "interchange.match.barcode": ("trùng số ĐKCB với {id}", "same barcode as {id}"),
    "interchange.match.control_number": ("trùng số hiệu biểu ghi nguồn (001) với {id}", "same source control number (001) as {id}"),
    "interchange.match.isbn": ("trùng ISBN với {id}", "same ISBN as {id}"),
    "interchange.match.title": ("trùng nhan đề, tác giả, năm, tập với {id}", "same title, author, year and volume as {id}"),
    "interchange.warn.holder_dropped": (
        "bản {barcode}: nơi giữ '{holder}' không phải thư viện trong mạng, bỏ qua",
        "copy {barcode}: holder '{holder}' is not a network library, ignored",
    ),
    "interchange.warn.kept_internal": (
        "thiếu {fields} (Điều 28 NĐ 93/2020 bắt buộc khi chia sẻ) nên để share: internal thay cho {share}",
        "lacks {fields} (required for sharing by Decree 93/2020 Art. 28), so share: internal instead of {share}",
    ),
    "interchange.kept_internal_line": (
        "Chia sẻ: {n} biểu ghi mới được giữ nội bộ (share: internal) vì thiếu {fields}. `libsync enrich --library {library}` bổ sung từ biểu ghi của thư viện bạn; sau đó `libsync share --library {library} --share network`.",
        "Sharing: {n} new records were kept internal (share: internal) for lack of {fields}. `libsync enrich --library {library}` completes them from partner libraries' records; then `libsync share --library {library} --share network`.",
    ),
    "interchange.warn.control_chars": (
        "đã bỏ ký tự điều khiển {chars} khỏi trường {field} (XML và Excel không chứa được)",
        "removed control characters {chars} from {field} (XML and Excel cannot carry them)",
    ),
    "interchange.warn.mojibake": (
        "trường {field} là UTF-8 bị đọc nhầm thành Windows-1252 (lỗi phông “mojibake”), đã sửa: '{before}' → '{after}'",
        "{field} was UTF-8 misread as Windows-1252 (mojibake) and was repaired: '{before}' → '{after}'",
    ),
    "interchange.warn.list_kept": (
        "giữ lại {n} mục của trường {field} mà biểu ghi có nhưng tệp nguồn không có: {values}",
        "kept {n} {field} that the record has and the source lacks: {values}",
    ),
    "interchange.report.changes": ("thay đổi: {fields}", "changes: {fields}"),
    "interchange.strict_refused": (
        "--strict: {rejected}/{total} biểu ghi bị từ chối nên không nhập gì cả.",
        "--strict: {rejected} of {total} records were rejected, so nothing was imported.",
    ),
    "interchange.commit_message": (
        "Nhập {source} vào thư viện {library}: tạo mới {created}, cập nhật {updated}",
        "Import {source} into library {library}: {created} created, {updated} updated",
    ),
    "interchange.empty_file": ("{path}: tệp rỗng, không có gì để nhập.", "{path}: empty file, nothing to import."),
    "interchange.report.encoding": ("Bảng mã: {encodings}", "Encoding: {encodings}"),
    "interchange.report.blank_lines": ("Bỏ qua {n} dòng trống.", "Skipped {n} blank lines."),
    "interchange.report.dry_run": ("Chạy thử (--dry-run): không ghi tệp nào.", "Dry run (--dry-run): no file was written."),
    "interchange.report.written": ("Đã ghi {n} tệp biểu ghi.", "Wrote {n} record files."),
    "interchange.report.committed": ("Đã tạo commit {sha}.", "Made commit {sha}."),
    "interchange.report.position": ("Vị trí", "Position"),
    "interchange.report.action": ("Kết quả", "Outcome"),
    "interchange.report.id": ("Mã biểu ghi", "Record id"),
    "interchange.report.title": ("Nhan đề", "Title"),
    "interchange.report.reason": ("Lý do / ghi chú", "Reason / note"),
    # export columns (also recognised on import, in both languages)
    "interchange.col.barcode": ("Số ĐKCB", "Barcode"),
    "interchange.col.id": ("Mã biểu ghi", "Record id"),
    "interchange.col.title": ("Nhan đề", "Title"),
    "interchange.col.subtitle": ("Phụ đề", "Subtitle"),
    "interchange.col.parallel_title": ("Nhan đề song song", "Parallel title"),
    "interchange.col.authors": ("Tác giả", "Authors"),
    "interchange.col.publisher": ("Nhà xuất bản", "Publisher"),
    "interchange.col.place": ("Nơi XB", "Place"),
    "interchange.col.year": ("Năm XB", "Year"),
    "interchange.col.edition": ("Lần xuất bản", "Edition"),
    "interchange.col.isbn": ("ISBN", "ISBN"),
    "interchange.col.issn": ("ISSN", "ISSN"),
    "interchange.col.ddc": ("Môn loại (DDC)", "DDC"),
    "interchange.col.bbk": ("BBK", "BBK"),
    "interchange.col.udc": ("UDC", "UDC"),
    "interchange.col.call_number": ("Ký hiệu xếp giá", "Call number"),
    "interchange.col.pages": ("Số trang", "Pages"),
    "interchange.col.dimensions": ("Khổ", "Dimensions"),
    "interchange.col.series": ("Tùng thư", "Series"),
    "interchange.col.volume": ("Tập", "Volume"),
    "interchange.col.language": ("Ngôn ngữ", "Language"),
    "interchange.col.type": ("Loại tài liệu", "Type"),
    "interchange.col.subjects": ("Chủ đề", "Subjects"),
    "interchange.col.keywords": ("Từ khóa", "Keywords"),
    "interchange.col.summary": ("Tóm tắt", "Summary"),
    "interchange.col.notes": ("Ghi chú", "Notes"),
    "interchange.col.url": ("Liên kết", "URL"),
    "interchange.col.program": ("Chương trình", "Program"),
    "interchange.col.grade": ("Khối lớp", "Grade"),
    "interchange.col.curriculum_subject": ("Môn học", "Curriculum subject"),
    "interchange.col.curriculum_series": ("Bộ sách", "Textbook series"),
    "interchange.col.price": ("Giá tiền", "Price"),
    "interchange.col.register_no": ("Số vào sổ", "Register no."),
    "interchange.col.acquired": ("Ngày nhập", "Acquired"),
    "interchange.col.location": ("Kho", "Location"),
    "interchange.col.source": ("Nguồn bổ sung", "Source"),
    "interchange.col.condition": ("Tình trạng", "Condition"),
    "interchange.col.status": ("Trạng thái", "Status"),
    "interchange.col.item_note": ("Ghi chú bản sách", "Copy note"),
    "interchange.col.status_date": ("Ngày trạng thái", "Status date"),
    "interchange.col.status_ref": ("Căn cứ trạng thái", "Status ref"),
    "interchange.col.digital_format": ("Định dạng số", "Digital format"),
    "interchange.col.digital_licence": ("Giấy phép", "Licence"),
    "interchange.col.digital_size": ("Dung lượng (byte)", "Size (bytes)"),
    "interchange.col.holder": ("Nơi đang giữ", "Holder"),
    "interchange.col.contributors": ("Trách nhiệm khác", "Contributors"),
    # command help
    "help.import": ("Nhập biểu ghi từ tệp MARC21 hoặc bảng tính (CSV, Excel) vào một thư viện.", "Import records from MARC21 or a spreadsheet (CSV, Excel) into one library."),
    "help.import.marc": (
        "Nhập tệp MARC21 (ISO 2709 .mrc hoặc MARCXML); tự nhận UTF-8 / MARC-8.",
        "Import a MARC21 file (ISO 2709 .mrc or MARCXML); UTF-8 / MARC-8 detected.",
    ),
    "help.import.table": (
        "Nhập sổ đăng ký dạng bảng (.csv, .xlsx); tự nhận cột và bảng mã (UTF-8, Windows-1258, TCVN3, VNI).",
        "Import a register table (.csv, .xlsx); columns and encoding (UTF-8, Windows-1258, TCVN3, VNI) detected.",
    ),
    "help.import.opt.file": ("Tệp cần nhập.", "The file to import."),
    "help.import.opt.library": ("Mã thư viện nhận biểu ghi (như trong network.yaml).", "Code of the library receiving the records (as in network.yaml)."),
    "help.import.opt.on_match": (
        "Khi đầu sách đã có: update (cập nhật, mặc định), skip (bỏ qua), new (tạo biểu ghi mới).",
        "When a title already exists: update (default), skip, or new (create another record).",
    ),
    "help.import.opt.encoding_marc": ("Ép bảng mã: utf-8 hoặc marc-8 (mặc định: tự nhận theo từng biểu ghi).", "Force the encoding: utf-8 or marc-8 (default: detected per record)."),
    "help.import.opt.encoding_table": (
        "Ép bảng mã: utf-8, cp1258, tcvn3, vni (mặc định: tự nhận).",
        "Force the encoding: utf-8, cp1258, tcvn3, vni (default: detected).",
    ),
    "help.import.opt.map": (
        "Tệp YAML ánh xạ tiêu đề cột → trường (ví dụ  \"Số cá biệt\": barcode).",
        "YAML file mapping column headings → fields (e.g. \"Số cá biệt\": barcode).",
    ),
    "help.import.opt.strict": ("Có biểu ghi hỏng hoặc bị từ chối thì không nhập gì cả.", "Refuse the whole file if any record is broken or rejected."),
    "help.import.opt.share": ("Phạm vi chia sẻ của biểu ghi mới: internal, network, public (mặc định: chính sách chia sẻ trong network.yaml, không có thì network).", "Share level of new records: internal, network, public (default: network.yaml's sharing policy, else network)."),
    "help.import.opt.access": ("Mức truy cập của biểu ghi mới: catalog, read, download (mặc định: chính sách chia sẻ trong network.yaml, không có thì catalog).", "Access level of new records: catalog, read, download (default: network.yaml's sharing policy, else catalog)."),
    "help.import.opt.type": ("Loại tài liệu khi nguồn không cho biết (mặc định: other).", "Record type when the source does not say (default: other)."),
    "help.export": (
        "Xuất biểu ghi của một thư viện hoặc cả mạng: marc, marcxml, csv, xlsx, json, theo đối tượng xem.",
        "Export one library's or the whole network's records: marc, marcxml, csv, xlsx, json, filtered by audience.",
    ),
    "help.export.opt.format": ("Định dạng: marc, marcxml, csv, xlsx, json.", "Format: marc, marcxml, csv, xlsx, json."),
    "help.export.opt.library": ("Chỉ xuất biểu ghi của thư viện này (mặc định: cả mạng).", "Only this library's records (default: the whole network)."),
    "help.export.opt.audience": (
        "Đối tượng: public, network hoặc mã thư viện (mặc định: chính thư viện đã chọn, hoặc network).",
        "Audience: public, network or a library code (default: the chosen library, else network).",
    ),
    "help.export.opt.output": ("Tệp kết quả (bắt buộc).", "Output file (required)."),
    "help.export.opt.report": ("Định dạng báo cáo trên màn hình: text hoặc json.", "Report format on screen: text or json."),
}
