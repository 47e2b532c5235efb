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
    "interchange.kept_internal_enrich": (
        "Chia sẻ: {n} biểu ghi mới được giữ nội bộ (share: internal) vì thiếu {fields}; {completable} biểu ghi trong số đó bổ sung đủ được từ biểu ghi của các thư viện bạn: `libsync enrich --library {library} --share-when-complete --apply`.",
        "Sharing: {n} new records were kept internal (share: internal) for lack of {fields}; partner libraries' records can complete {completable} of them: `libsync enrich --library {library} --share-when-complete --apply`.",
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
    # the spreadsheet round trip (export xlsx --for-edit, import table of that sheet): libsync.interchange.editsheet
    "interchange.col.library": ("Thư viện", "Library"),
    "interchange.col.share": ("Phạm vi chia sẻ", "Share"),
    "interchange.col.access": ("Mức truy cập", "Access"),
    "interchange.col.row_key": ("Khóa dòng (libsync, đừng sửa)", "Row key (libsync, do not edit)"),
    "interchange.edit.sheet": ("Sửa biểu ghi", "Edit records"),
    "interchange.edit.guide_sheet": ("Hướng dẫn", "How to"),
    "interchange.edit.guide.title": ("Sửa biểu ghi bằng Excel — cách dùng bảng này", "Editing records in Excel — how to use this sheet"),
    "interchange.edit.guide.1": (
        "Mỗi dòng là một bản sách (số ĐKCB); biểu ghi chưa có bản sách nào chiếm một dòng. Các cột của biểu ghi (nhan đề, tác giả …) lặp lại ở mọi dòng của biểu ghi đó: sửa ở một dòng là đủ.",
        "Each row is one copy (barcode); a record without copies has one row. The record's columns (title, authors …) repeat on each of its rows: editing one row is enough.",
    ),
    "interchange.edit.guide.2": (
        "Cột tiêu đề màu xám (Thư viện, Mã biểu ghi) cho biết dòng thuộc biểu ghi nào: đừng sửa. Màu xanh dương: thông tin biểu ghi. Màu xanh lá: thông tin bản sách.",
        "Grey headings (Library, Record id) say which record a row belongs to: do not edit them. Blue: the record. Green: the copy.",
    ),
    "interchange.edit.guide.3": (
        "Các cột Phạm vi chia sẻ, Mức truy cập, Loại tài liệu, Trạng thái chỉ nhận các mã trong danh sách thả xuống (ý nghĩa ở bảng bên dưới).",
        "Share, Access, Type and Status take only the codes in their drop-down lists (their meaning is in the tables below).",
    ),
    "interchange.edit.guide.4": (
        "Xoá trắng một ô là xoá thông tin đó khỏi biểu ghi. Nhan đề, Loại tài liệu, Số ĐKCB và Trạng thái là bắt buộc: không xoá trắng được. Nhiều giá trị trong một ô (tác giả, chủ đề, từ khóa) cách nhau bằng dấu chấm phẩy (;).",
        "Emptying a cell removes that information from the record. Title, Type, Barcode and Status are required and cannot be emptied. Several values in one cell (authors, subjects, keywords) are separated by semicolons (;).",
    ),
    "interchange.edit.guide.5": (
        "Xoá một dòng KHÔNG xoá bản sách hay biểu ghi nào (chỉ được báo lại). Bản sách mất hoặc thanh lý: đổi Trạng thái thành lost hoặc withdrawn.",
        "Deleting a row deletes NO copy and no record (it is only reported). A lost or withdrawn copy: set its Status to lost or withdrawn.",
    ),
    "interchange.edit.guide.6": (
        "Thêm bản sách cho một biểu ghi: thêm một dòng, ghi Mã biểu ghi của biểu ghi đó và Số ĐKCB mới. Đầu sách mới thì dùng lệnh libsync record add hoặc nhập sổ đăng ký.",
        "To add a copy to a record, add a row with that record's id and the new barcode. A new title is added with libsync record add or a register import.",
    ),
    "interchange.edit.guide.7": (
        "Sửa xong, lưu tệp (giữ dạng .xlsx) rồi chạy: libsync import table <tệp> --library <mã thư viện> --dry-run để xem từng thay đổi, sau đó chạy lại không có --dry-run để ghi.",
        "When done, save the file (keep it .xlsx) and run: libsync import table <file> --library <code> --dry-run to see each change, then again without --dry-run to write it.",
    ),
    "interchange.edit.guide.meaning": ("Ý nghĩa", "Meaning"),
    "interchange.edit.code.status.available": ("có trên giá, sẵn sàng cho mượn", "on the shelf, available"),
    "interchange.edit.code.status.on-loan": ("đang cho mượn", "on loan"),
    "interchange.edit.code.status.in-transit": ("đang chuyển đi/về trong đợt luân chuyển", "in transit in a rotation"),
    "interchange.edit.code.status.at-partner": ("đang ở thư viện bạn (luân chuyển)", "at a partner library (rotation)"),
    "interchange.edit.code.status.lost": ("mất", "lost"),
    "interchange.edit.code.status.damaged": ("hỏng, rách (vẫn còn trong kho)", "damaged (still held)"),
    "interchange.edit.code.status.withdrawn": ("đã thanh lý", "withdrawn"),
    "interchange.edit.code.share.internal": ("chỉ trong thư viện mình", "only within the library"),
    "interchange.edit.code.share.network": ("chia sẻ trong mạng liên thông", "shared with the network"),
    "interchange.edit.code.share.public": ("công khai trên mục lục cho mọi người", "public catalogue, for everyone"),
    "interchange.edit.code.access.catalog": ("chỉ xem thông tin thư mục", "catalogue record only"),
    "interchange.edit.code.access.read": ("được đọc toàn văn", "may be read in full"),
    "interchange.edit.code.access.download": ("được tải về", "may be downloaded"),
    "interchange.edit.code.type.textbook": ("sách giáo khoa", "textbook"),
    "interchange.edit.code.type.teacher-book": ("sách giáo viên", "teacher's book"),
    "interchange.edit.code.type.workbook": ("sách bài tập, vở bài tập", "workbook"),
    "interchange.edit.code.type.reference": ("sách tham khảo", "reference book"),
    "interchange.edit.code.type.periodical": ("báo, tạp chí", "newspaper, periodical"),
    "interchange.edit.code.type.story": ("truyện, văn học", "story, fiction"),
    "interchange.edit.code.type.picture": ("tranh ảnh, bản đồ", "pictures, maps"),
    "interchange.edit.code.type.digital": ("tài liệu số", "digital document"),
    "interchange.edit.code.type.other": ("loại khác", "other"),
    "interchange.edit.dv_title": ("Giá trị không hợp lệ", "Value not allowed"),
    "interchange.edit.dv_choice": ("Cột {column} chỉ nhận: {choices}.", "Column {column} takes only: {choices}."),
    "interchange.edit.dv_year": ("Năm xuất bản là một số từ 1800 đến 2100.", "The year is a number from 1800 to 2100."),
    "interchange.edit.expected.int": ("một số nguyên", "a whole number"),
    "interchange.edit.expected.year": ("một năm từ 1800 đến 2100", "a year from 1800 to 2100"),
    "interchange.edit.expected.price": ("một số tiền (đồng)", "an amount in VND"),
    "interchange.edit.expected.date": ("một ngày (ngày/tháng/năm hoặc năm-tháng-ngày)", "a date (dd/mm/yyyy or yyyy-mm-dd)"),
    "interchange.edit.expected.isbn": ("một ISBN đúng số kiểm tra", "an ISBN with a correct check digit"),
    "interchange.edit.expected.issn": ("một ISSN 8 chữ số", "an 8-digit ISSN"),
    "interchange.edit.expected.language": ("mã ngôn ngữ 3 chữ cái (vie, eng …)", "a 3-letter language code (vie, eng …)"),
    "interchange.edit.bad_value": (
        "dòng {line}, cột {column}: '{value}' không phải {expected}",
        "line {line}, column {column}: '{value}' is not {expected}",
    ),
    "interchange.edit.bad_choice": (
        "dòng {line}, cột {column}: '{value}' không phải giá trị được phép ({choices})",
        "line {line}, column {column}: '{value}' is not an allowed value ({choices})",
    ),
    "interchange.edit.required": (
        "dòng {line}: cột {column} là bắt buộc, không xoá trắng được — không sửa biểu ghi này",
        "line {line}: column {column} is required and cannot be emptied — this record was not changed",
    ),
    "interchange.edit.barcode_cleared": (
        "dòng {line}: số ĐKCB không xoá trắng được; bản sách mất hoặc thanh lý thì đổi Trạng thái thành lost hoặc withdrawn",
        "line {line}: the barcode cannot be emptied; for a lost or withdrawn copy set its Status to lost or withdrawn",
    ),
    "interchange.edit.conflict": (
        "dòng {line}, cột {column}: trong kho giá trị đã đổi từ '{exported}' thành '{now}' sau khi xuất bảng, còn bảng sửa thành '{value}' — "
        "không biết giữ bên nào; hãy xuất lại bảng rồi sửa lại",
        "line {line}, column {column}: the repository changed '{exported}' to '{now}' after the sheet was exported, and the sheet says '{value}' — "
        "which one to keep is unclear; export the sheet again and redo the edit",
    ),
    "interchange.edit.conflict_copy": (
        "dòng {line}, bản {barcode}, cột {column}: trong kho giá trị đã đổi từ '{exported}' thành '{now}' sau khi xuất bảng, còn bảng sửa thành '{value}' — "
        "hãy xuất lại bảng rồi sửa lại",
        "line {line}, copy {barcode}, column {column}: the repository changed '{exported}' to '{now}' after the sheet was exported, and the sheet says '{value}' — "
        "export the sheet again and redo the edit",
    ),
    "interchange.edit.rows_disagree": (
        "cột {column}: các dòng {lines} của cùng một biểu ghi sửa thành các giá trị khác nhau ({values}) — chỉ để một giá trị",
        "column {column}: lines {lines} of the same record give different values ({values}) — keep one",
    ),
    "interchange.edit.library_changed": (
        "dòng {line}: cột Thư viện ghi '{value}' nhưng bảng này là của thư viện {library}; cột này không sửa được",
        "line {line}: the Library column says '{value}' but this sheet belongs to library {library}; that column cannot be edited",
    ),
    "interchange.edit.id_changed": (
        "dòng {line}: Mã biểu ghi đã bị sửa thành '{value}' (dòng này là của biểu ghi {id}); mã biểu ghi không sửa được",
        "line {line}: the record id was changed to '{value}' (this row belongs to {id}); record ids cannot be edited",
    ),
    "interchange.edit.no_id": (
        "dòng có dữ liệu nhưng không có Mã biểu ghi; đầu sách mới thì dùng libsync record add hoặc nhập sổ đăng ký",
        "the row has data but no record id; add a new title with libsync record add or a register import",
    ),
    "interchange.edit.unknown_id": (
        "thư viện {library} không có biểu ghi mã {id}; đầu sách mới thì dùng libsync record add hoặc nhập sổ đăng ký",
        "library {library} has no record {id}; add a new title with libsync record add or a register import",
    ),
    "interchange.edit.record_gone": (
        "biểu ghi {id} không còn trong kho của thư viện {library} (đã bị xoá sau khi xuất bảng)",
        "record {id} is no longer in library {library} (removed after the sheet was exported)",
    ),
    "interchange.edit.copy_gone": (
        "dòng {line}: bản {barcode} không còn trong biểu ghi (đã bị chuyển hoặc xoá sau khi xuất bảng)",
        "line {line}: copy {barcode} is no longer in the record (moved or removed after the sheet was exported)",
    ),
    "interchange.edit.new_copy_no_barcode": (
        "dòng {line}: có thông tin bản sách nhưng không có số ĐKCB",
        "line {line}: copy details without a barcode",
    ),
    "interchange.edit.copy_twice": (
        "dòng {line}: bản {barcode} đã có ở một dòng khác của biểu ghi này (dòng chép lại? muốn thêm bản sách thì ghi số ĐKCB mới)",
        "line {line}: copy {barcode} is already on another row of this record (a copied row? to add a copy give it a new barcode)",
    ),
    "interchange.edit.empty": ("(trống)", "(empty)"),
    "interchange.edit.bad_meta": (
        "{path}: trang ẩn _libsync của bảng sửa bị hỏng hoặc bị sửa, nên không biết các dòng đã xuất là gì; hãy xuất lại bảng (libsync export xlsx --for-edit) và sửa trên bảng mới.",
        "{path}: the hidden _libsync sheet of this edit sheet is damaged or was edited, so the exported rows are unknown; export the sheet again (libsync export xlsx --for-edit) and edit the new one.",
    ),
    "interchange.edit.no_id_column": (
        "{path}: bảng sửa không còn cột Mã biểu ghi (hay cột khóa dòng) nên không biết dòng nào thuộc biểu ghi nào; không nhập gì.",
        "{path}: the edit sheet has lost its Record id column (and the row key column), so rows cannot be matched to records; nothing was imported.",
    ),
    "interchange.edit.other_library": (
        "{path}: bảng sửa này xuất từ thư viện {sheet}, không phải {library}; dùng --library {sheet}.",
        "{path}: this edit sheet was exported from library {sheet}, not {library}; use --library {sheet}.",
    ),
    "interchange.edit.on_match": (
        "{path}: bảng sửa (xuất bằng --for-edit) chỉ nhập với --on-match update (đã chọn {on_match}).",
        "{path}: an edit sheet (exported with --for-edit) is imported with --on-match update only (you chose {on_match}).",
    ),
    "interchange.edit.no_map": (
        "{path}: bảng sửa đã có sẵn cột của libsync; không dùng --map với bảng này.",
        "{path}: an edit sheet already has libsync's columns; --map cannot be used with it.",
    ),
    "interchange.edit.ignored_columns": ("Bỏ qua các cột không thuộc bảng sửa: {columns}", "Ignored columns that are not part of the edit sheet: {columns}"),
    "interchange.edit.xlsx_only": ("--for-edit chỉ dùng với định dạng xlsx (đã chọn {fmt}).", "--for-edit works with the xlsx format only (you chose {fmt})."),
    "interchange.edit.library_required": ("--for-edit cần --library: bảng sửa là của một thư viện.", "--for-edit needs --library: an edit sheet belongs to one library."),
    "interchange.edit.audience": (
        "--for-edit xuất đầy đủ cho chính thư viện {library}; không dùng --audience {audience}.",
        "--for-edit exports everything for library {library} itself; --audience {audience} cannot be used with it.",
    ),
    "interchange.edit.exported": (
        "Đã xuất bảng sửa của thư viện {library}: {records} biểu ghi, {rows} dòng (mỗi bản sách một dòng) ra {path}.",
        "Exported the edit sheet of library {library}: {records} records, {rows} rows (one per copy) to {path}.",
    ),
    "interchange.edit.next": (
        "Sửa trong Excel, lưu lại, rồi xem trước: libsync import table {path} --library {library} --dry-run",
        "Edit it in Excel, save, then preview: libsync import table {path} --library {library} --dry-run",
    ),
    "interchange.edit.diff_title": ("Thay đổi từng trường (cũ → mới):", "Field by field (old → new):"),
    "interchange.edit.diff_record": ("{id} — {title}", "{id} — {title}"),
    "interchange.edit.diff_field": ("  dòng {line} · {column}: {old} → {new}", "  line {line} · {column}: {old} → {new}"),
    "interchange.edit.diff_copy": ("  dòng {line} · bản {barcode} · {column}: {old} → {new}", "  line {line} · copy {barcode} · {column}: {old} → {new}"),
    "interchange.edit.diff_new_copy": ("  dòng {line} · thêm bản {barcode}: {fields}", "  line {line} · new copy {barcode}: {fields}"),
    "interchange.edit.missing_title": (
        "{n} dòng của bảng đã xuất không còn trong tệp — KHÔNG xoá gì (bản sách mất hay thanh lý thì đổi Trạng thái thành lost hoặc withdrawn):",
        "{n} exported rows are no longer in the file — NOTHING was deleted (for a lost or withdrawn copy set its Status to lost or withdrawn):",
    ),
    "interchange.edit.missing_row": ("  dòng {line}: {id} · bản {barcode} · {title}", "  line {line}: {id} · copy {barcode} · {title}"),
    "interchange.edit.missing_record_row": ("  dòng {line}: {id} (chưa có bản sách) · {title}", "  line {line}: {id} (no copy) · {title}"),
    "help.export.opt.for_edit": (
        "Xuất bảng Excel để sửa biểu ghi của --library (mỗi bản sách một dòng, có danh sách chọn cho các cột mã); sửa xong nhập lại bằng libsync import table.",
        "Write an Excel sheet to edit the records of --library (one row per copy, drop-down lists for coded columns); import it back with libsync import table.",
    ),
    # Excel 97–2003 (.xls)
    "interchange.xls.bad": (
        "{path}: không đọc được tệp Excel 97–2003 (.xls): {reason}. Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx.",
        "{path}: cannot read the Excel 97–2003 (.xls) file: {reason}. Open it in Excel or LibreOffice and save it as .xlsx.",
    ),
    "interchange.xls.not_xls": (
        "{path}: tên tệp là .xls nhưng nội dung không phải bảng tính Excel 97–2003, cũng không có dòng tiêu đề cột nào đọc được "
        "(có thể là trang web hay tệp khác đổi đuôi). Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx.",
        "{path}: the file is named .xls but is not an Excel 97–2003 workbook, and no heading row could be read from it "
        "(perhaps a web page or another file renamed). Open it in Excel or LibreOffice and save it as .xlsx.",
    ),
    "interchange.xls.too_many_cells": (
        "{path}: trang tính đầu tiên có {rows} dòng × {cols} cột ({cells} ô), vượt giới hạn {limit} ô; không đọc tệp này.",
        "{path}: the first worksheet has {rows} rows × {cols} columns ({cells} cells), over the limit of {limit} cells; it was not read.",
    ),
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
        "Nhập sổ đăng ký dạng bảng (.csv, .xlsx, .xls Excel 97–2003); tự nhận cột và bảng mã (UTF-8, Windows-1258, TCVN3, VNI). "
        "Bảng sửa xuất bằng 'libsync export xlsx --for-edit' được nhận ra và áp dụng từng ô đã sửa.",
        "Import a register table (.csv, .xlsx, Excel 97–2003 .xls); columns and encoding (UTF-8, Windows-1258, TCVN3, VNI) detected. "
        "An edit sheet from 'libsync export xlsx --for-edit' is recognised and each edited cell applied.",
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
