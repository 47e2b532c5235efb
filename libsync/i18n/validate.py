"""Messages of `libsync validate` and `libsync fmt`: one per rule."""

MESSAGES = {
    # reading
    "yaml.too_large": ("Tệp quá lớn ({size} MB; tối đa {limit} MB) — có thể dán nhầm dữ liệu.", "File too large ({size} MB; at most {limit} MB) — data pasted by mistake?"),
    "yaml.empty": ("Tệp rỗng.", "Empty file."),
    "yaml.bom": ("Tệp bắt đầu bằng BOM (dấu thứ tự byte); hãy lưu dạng UTF-8 không BOM (libsync fmt sửa được).", "File starts with a BOM; save as UTF-8 without BOM (libsync fmt fixes it)."),
    "yaml.not_utf8": ("Byte {byte} không phải UTF-8: tệp phải lưu bằng mã UTF-8 (không dùng TCVN3/VNI/Windows-1258).", "Byte {byte} is not UTF-8: save the file as UTF-8 (not TCVN3/VNI/Windows-1258)."),
    "yaml.conflict_marker": ("Còn dấu xung đột Git ({marker}): hợp nhất (merge) chưa xong, hãy sửa tay rồi commit.", "Git merge-conflict marker ({marker}): the merge is unfinished; resolve it and commit."),
    "yaml.tab": ("Dùng phím Tab để thụt lề; YAML chỉ cho phép dấu cách.", "Tab used for indentation; YAML allows only spaces."),
    "yaml.control_char": ("Ký tự điều khiển {code} trong văn bản (thường do copy từ phần mềm khác).", "Control character {code} in the text (often pasted from other software)."),
    "yaml.tag": ("Thẻ YAML {tag} không được dùng trong dữ liệu (chỉ chữ, số, true/false, danh sách và mục); hãy bỏ thẻ và viết giá trị thường.", "YAML tag {tag} is not allowed in data (only text, numbers, true/false, lists and mappings); remove the tag and write a plain value."),
    "yaml.control_char_field": ("Trường '{field}' chứa ký tự {code} mà XML/Excel không chứa được (ký tự điều khiển viết dạng mã thoát); hãy xóa ký tự này.", "Field '{field}' holds the character {code}, which XML and Excel cannot carry (a control character written as an escape); remove it."),
    "validate.misplaced": (
        "Tệp {path} không nằm đúng chỗ theo bố cục kho dữ liệu nên không lệnh nào đọc đến nó (biểu ghi sẽ biến mất khỏi mục lục); chỗ đúng: {expected}.",
        "{path} is not where the repository layout expects a file, so no command reads it (a record would vanish from the catalogue); expected: {expected}.",
    ),
    "cli.out_of_range": ("{value} nằm ngoài khoảng cho phép ({low}–{high}).", "{value} is out of range ({low}–{high})."),
    "init.invalid": (
        "Không tạo kho: network.yaml tạo từ các tùy chọn đã cho sẽ không hợp lệ (chưa ghi tệp nào):\n{problems}",
        "Nothing created: the network.yaml these options make would not validate (no file was written):\n{problems}",
    ),
    "init.not_a_folder": (
        "{path} đã có và không phải thư mục; hãy chọn một thư mục mới hoặc rỗng.",
        "{path} exists and is not a folder; choose a new or empty folder.",
    ),
    "validate.refused": (
        "{path} không hợp lệ nên lệnh này không dùng được:\n{problems}\nHãy sửa tệp, rồi chạy `libsync validate {path}` để kiểm tra lại.",
        "{path} does not validate, so this command cannot use it:\n{problems}\nFix the file, then run `libsync validate {path}` to check it.",
    ),
    "validate.refused_more": (
        "{path} không hợp lệ nên lệnh này không dùng được:\n{problems}\n  … và {more} lỗi khác. Hãy sửa tệp, rồi chạy `libsync validate {path}` để xem đủ và kiểm tra lại.",
        "{path} does not validate, so this command cannot use it:\n{problems}\n  … and {more} more. Fix the file, then run `libsync validate {path}` to see them all and check it.",
    ),
    "validate.refused_unknown": (
        "{path} không hợp lệ nên lệnh này không dùng được; chạy `libsync validate {path}` để xem lỗi.",
        "{path} does not validate, so this command cannot use it; run `libsync validate {path}` to see why.",
    ),
    "yaml.alias": ("Không cho phép anchor/alias YAML (& và *) trong dữ liệu; hãy viết đầy đủ giá trị.", "YAML anchors/aliases (& and *) are not allowed in data; write the values out."),
    "yaml.syntax": ("Lỗi cú pháp YAML: {reason}", "YAML syntax error: {reason}"),
    "yaml.too_deep": ("Cấu trúc YAML lồng nhau quá sâu.", "YAML structure nested too deeply."),
    "yaml.truncated": ("Tệp có vẻ bị cắt cụt (kết thúc giữa chừng: {reason}); hãy lấy lại bản đầy đủ.", "The file looks truncated (it ends mid-way: {reason}); restore the full file."),
    "yaml.no_final_newline": ("Tệp không kết thúc bằng dòng mới — có thể bị cắt cụt.", "The file does not end with a newline — it may be truncated."),
    "yaml.duplicate_key": ("Khóa '{key}' xuất hiện hai lần trong cùng một mục; YAML sẽ lặng lẽ bỏ giá trị trước.", "Key '{key}' appears twice in one mapping; YAML would silently drop the first value."),
    "text.nfd": ("Văn bản không ở dạng Unicode NFC (dấu tổ hợp rời, thường do macOS hoặc bộ gõ); chạy libsync fmt để chuẩn hóa.", "Text is not in Unicode NFC (combining marks, often from macOS or an input method); run libsync fmt."),
    "key.not_text": ("Khóa {key} phải là chữ.", "Key {key} must be text."),
    # schema
    "schema.required": ("Thiếu trường bắt buộc '{field}'.", "Missing required field '{field}'."),
    "schema.additional": ("Trường không được phép: '{field}'{hint}", "Unknown field: '{field}'{hint}"),
    "schema.type": ("'{field}' phải là {expected}, không phải {actual}{hint}.", "'{field}' must be {expected}, not {actual}{hint}."),
    "schema.enum": ("'{field}' = {value} không hợp lệ; chọn một trong: {choices}.", "'{field}' = {value} is not allowed; choose one of: {choices}."),
    "schema.pattern": ("'{field}' = {value} sai định dạng{hint}.", "'{field}' = {value} has the wrong form{hint}."),
    "schema.min_length": ("'{field}' không được để trống.", "'{field}' must not be empty."),
    "schema.range": ("'{field}' = {value} nằm ngoài khoảng cho phép ({limit}).", "'{field}' = {value} is out of range ({limit})."),
    "schema.min_items": ("'{field}' cần ít nhất {limit} mục.", "'{field}' needs at least {limit} entries."),
    "schema.other": ("'{field}': {detail}", "'{field}': {detail}"),
    "schema.unique_items": ("'{field}' có mục bị lặp lại; mỗi mục chỉ ghi một lần.", "'{field}' lists an entry twice; give each entry once."),
    # a schema keyword without a sentence of its own: named, so Vietnamese never carries
    # jsonschema's English ("schema.other" stays for problems cached by an older version)
    "schema.keyword": ("'{field}' không thỏa điều kiện '{keyword}' của lược đồ.", "'{field}': {detail}"),
    "hint.quote": (" (hãy đặt trong dấu nháy, ví dụ \"{value}\")", " (put it in quotes, e.g. \"{value}\")"),
    "hint.did_you_mean": (" — có phải ý bạn là '{suggestion}'?", " — did you mean '{suggestion}'?"),
    "hint.date": (" (dạng NĂM-THÁNG-NGÀY, ví dụ 2024-09-05)", " (YEAR-MONTH-DAY, e.g. 2024-09-05)"),
    "hint.id": (" (chỉ chữ không dấu, số, '.', '-', '_'; không có '/' hay '..', không kết thúc bằng '.', không phải tên thiết bị Windows như CON, NUL, COM1)", " (only unaccented letters, digits, '.', '-', '_'; no '/' or '..', no final '.', not a Windows device name such as CON, NUL, COM1)"),
    "hint.url": (" (https://… hoặc files/… — một tệp trong thư mục files/ của kho: không có '..', không bắt đầu bằng '/', không dùng '\\')", " (https://… or files/… — a file in the repository's files/ folder: no '..', no leading '/', no '\\')"),
    "hint.code": (" (mã thư viện: chữ in hoa và số, ví dụ XS)", " (library code: capitals and digits, e.g. XS)"),
    "type.string": ("chuỗi chữ", "text"),
    "type.integer": ("số nguyên", "a whole number"),
    "type.number": ("số", "a number"),
    "type.boolean": ("true/false", "true/false"),
    "type.array": ("danh sách", "a list"),
    "type.object": ("mục có các trường con", "a mapping"),
    "type.null": ("để trống", "empty"),
    # semantic rules
    "rule.path_mismatch": ("Vị trí tệp không khớp nội dung: {field} = '{value}' nhưng tệp nằm ở {expected}.", "File location does not match its content: {field} = '{value}' but the file is at {expected}."),
    "rule.unsafe_id": ("Mã '{value}' không dùng được làm tên tệp.", "Id '{value}' cannot be used as a file name."),
    "rule.duplicate_id": ("Mã biểu ghi '{id}' trùng với {other} (thư viện {library}).", "Record id '{id}' duplicates {other} (library {library})."),
    "rule.duplicate_barcode": ("Số ĐKCB '{barcode}' trùng với bản ở {other}.", "Barcode '{barcode}' duplicates the copy in {other}."),
    "rule.duplicate_barcode_in_file": ("Số ĐKCB '{barcode}' lặp lại trong cùng biểu ghi.", "Barcode '{barcode}' is repeated in the same record."),
    "rule.isbn": ("ISBN '{value}' sai số kiểm tra (check digit) hoặc sai độ dài.", "ISBN '{value}' has a wrong check digit or length."),
    "rule.issn": ("ISSN '{value}' sai số kiểm tra.", "ISSN '{value}' has a wrong check digit."),
    "rule.unknown_library": ("Mã thư viện '{code}' không có trong network.yaml.", "Library code '{code}' is not in network.yaml."),
    "rule.unknown_term": ("Học kỳ '{term}' không có trong lịch của network.yaml.", "Term '{term}' is not in the calendar of network.yaml."),
    "rule.unknown_record": ("Phiếu luân chuyển nhắc tới biểu ghi '{record}' không có ở thư viện {library}.", "The manifest names record '{record}', which library {library} does not have."),
    "rule.unknown_copy": ("Bản ĐKCB '{barcode}' không thuộc biểu ghi '{record}' của thư viện {library}.", "Copy '{barcode}' is not a copy of record '{record}' of library {library}."),
    "rule.copy_in_two_exchanges": ("Bản '{barcode}' đã nằm trong phiếu luân chuyển đang hoạt động {other} trùng thời gian.", "Copy '{barcode}' is already in the active exchange {other} over the same dates."),
    "rule.copy_twice_in_manifest": ("Bản '{barcode}' ghi hai lần trong phiếu.", "Copy '{barcode}' is listed twice in the manifest."),
    "rule.same_library": ("Thư viện gửi và nhận trùng nhau ({code}).", "Sending and receiving library are the same ({code})."),
    "rule.date_invalid": ("Ngày '{value}' không có thật.", "Date '{value}' does not exist."),
    "rule.date_order": ("Ngày không đúng thứ tự: {first} ({first_value}) phải trước {second} ({second_value}).", "Dates out of order: {first} ({first_value}) must come before {second} ({second_value})."),
    "rule.term_outside_year": ("Học kỳ {term} không thuộc năm học {year}.", "Term {term} is not in school year {year}."),
    "rule.duplicate_code": ("Mã '{code}' khai báo hai lần.", "Code '{code}' is declared twice."),
    "rule.lead_not_member": ("Thư viện chủ trì '{code}' không phải thành viên.", "Lead library '{code}' is not a member."),
    "rule.art28_missing": ("Biểu ghi chia sẻ ra ngoài thư viện (share: {share}) phải có {fields} (Nghị định 93/2020, Điều 28).", "A record shared beyond its library (share: {share}) must have {fields} (Decree 93/2020 Art. 28)."),
    "rule.holder_status": ("Bản '{barcode}' ở trạng thái {status} nhưng nơi giữ là {holder}.", "Copy '{barcode}' has status {status} but holder {holder}."),
    "rule.snapshot_sections": ("Các phần (sections) của phiếu kiểm kê vượt quá danh sách mã vạch.", "The snapshot's sections run past its list of barcodes."),
    "rule.term_mismatch_path": ("Phiếu thuộc học kỳ {term} nhưng nằm ở thư mục {folder}.", "The manifest's term is {term} but it lies in folder {folder}."),
    "rule.ddc_format": (
        "classification.ddc = '{value}' không phải số DDC{hint}; sửa bằng `libsync record set {record} classification.ddc=…` (hoặc classification.bpl19=…).",
        "classification.ddc = '{value}' is not a DDC number{hint}; fix it with `libsync record set {record} classification.ddc=…` (or classification.bpl19=…).",
    ),
    "rule.overrides_contradict": (
        "{a} và {b} vừa được ghi 'luôn gộp' vừa 'không bao giờ gộp'; hãy giữ một quyết định (`libsync merge decide {a} {b} --same` hoặc `--different`).",
        "{a} and {b} are both 'always merge' and 'never merge'; keep one decision (`libsync merge decide {a} {b} --same` or `--different`).",
    ),
    "rule.override_unknown_record": (
        "Quyết định hợp nhất nhắc tới biểu ghi {record} không có trong kho (đã xóa hoặc viết sai?).",
        "The merge decision names record {record}, which is not in the repository (deleted, or mistyped?).",
    ),
    "rule.isbn_conflict": (
        "{a} và {b} cùng ISBN {isbn} nhưng mục lục liên hợp không gộp ({reasons}); nếu là một ấn phẩm hoặc hai ấn phẩm khác nhau, ghi quyết định: `libsync merge decide {a} {b} --same` hoặc `--different` (hoặc sửa ISBN sai).",
        "{a} and {b} share ISBN {isbn} but the union catalogue keeps them apart ({reasons}); record the decision: `libsync merge decide {a} {b} --same` or `--different` (or fix a wrong ISBN).",
    ),
    "field.file": ("(cả tệp)", "(the whole file)"),
    "field.title": ("nhan đề", "title"),
    "field.authors": ("tác giả", "author"),
    "field.publisher": ("nhà xuất bản", "publisher"),
    "field.year": ("năm xuất bản", "year of publication"),
    "field.subjects": ("chủ đề hoặc từ khóa", "subjects or keywords"),
    "field.call_number": ("ký hiệu xếp giá", "call number"),
    # reports
    "report.ok": ("Hợp lệ: đã kiểm tra {files} tệp, không có lỗi.", "Valid: {files} files checked, no errors."),
    "report.summary": ("Đã kiểm tra {files} tệp: {errors} lỗi, {warnings} cảnh báo.", "{files} files checked: {errors} errors, {warnings} warnings."),
    "report.error": ("lỗi", "error"),
    "report.warning": ("cảnh báo", "warning"),
    "report.cache": ("(bộ nhớ đệm: đọc lại {parsed} tệp, dùng lại {reused})", "(cache: {parsed} files re-read, {reused} reused)"),
    "validate.path_outside": ("{path} nằm ngoài kho dữ liệu {root}.", "{path} is outside the repository {root}."),
    "validate.path_missing": ("Không có tệp hay thư mục: {path}", "No such file or folder: {path}"),
    "fmt.would_change": ("sẽ định dạng lại: {path}", "would reformat: {path}"),
    "fmt.changed": ("đã định dạng lại: {path}", "reformatted: {path}"),
    "fmt.summary_check": ("{count} tệp cần định dạng lại (chạy `libsync fmt`).", "{count} files need reformatting (run `libsync fmt`)."),
    "fmt.summary": ("Đã định dạng lại {count} tệp; {same} tệp đã chuẩn.", "Reformatted {count} files; {same} already canonical."),
    "fmt.skipped": ("bỏ qua: {path}: {reason}", "skipped: {path}: {reason}"),
}

MESSAGES.update({
    "rule.history_status": ("Trạng thái '{status}' không khớp với bước cuối của lịch sử ('{last}').", "Status '{status}' does not match the last history entry ('{last}')."),
    "rule.unknown_group": ("Nhóm liên thông '{group}' không có trong network.yaml.", "Interlinking group '{group}' is not in network.yaml."),
    "rule.donation_not_withdrawn": ("Phiếu trao tặng {exchange} đã nhận nhưng bản '{barcode}' của {library} có trạng thái {status} (cần withdrawn).", "Donation {exchange} is received but copy '{barcode}' of {library} is {status} (expected withdrawn)."),
    "rule.donation_not_received": ("Phiếu trao tặng {exchange}: bản '{barcode}' không có bản mới '{new}' ở thư viện {library}.", "Donation {exchange}: copy '{barcode}' has no new copy '{new}' at library {library}."),
    "rule.exchange_copy_state": ("Phiếu {exchange} đang ở trạng thái {status} nhưng bản '{barcode}' có trạng thái {copy_status}, nơi giữ {holder} (cần at-partner/in-transit ở {to}).", "Exchange {exchange} is {status} but copy '{barcode}' has status {copy_status}, holder {holder} (expected at-partner/in-transit at {to})."),
    "rule.duplicate_exchange": ("Mã phiếu luân chuyển '{id}' trùng với {other}.", "Exchange id '{id}' duplicates {other}."),
})

MESSAGES.update({
    "validate.not_governed": ("{path} không thuộc bố cục kho dữ liệu (records/, exchanges/, inventories/, network.yaml); bỏ qua.", "{path} is not part of the repository layout (records/, exchanges/, inventories/, network.yaml); skipped."),
})

MESSAGES.update({
    "help.validate": (
        "Kiểm tra kho dữ liệu: JSON Schema và các quy tắc liên tệp (mã trùng, số ĐKCB trùng, ISBN, phiếu luân chuyển…). Mã thoát: 0 hợp lệ, 1 có lỗi, 2 lỗi sử dụng.",
        "Validate the repository: JSON Schema plus cross-file rules (duplicate ids and barcodes, ISBNs, manifests…). Exit 0 valid, 1 problems, 2 usage error.",
    ),
    "help.validate.paths": ("Chỉ kiểm tra các tệp/thư mục này (quy tắc liên tệp vẫn xét cả kho).", "Check only these files/folders (cross-file rules still see the whole repository)."),
    "help.validate.changed_since": ("Chỉ kiểm tra các tệp đã đổi kể từ phiên bản Git REF (dùng cho kiểm tra pull request).", "Check only files changed since Git revision REF (what the pull-request check runs)."),
    "help.validate.no_cache": ("Không dùng bộ nhớ đệm; đọc lại mọi tệp.", "Bypass the cache; re-read every file."),
    "help.validate.strict": ("Coi cảnh báo là lỗi (mã thoát 1).", "Treat warnings as errors (exit 1)."),
    "help.validate.jobs": ("Số tiến trình song song (mặc định: số nhân CPU).", "Number of parallel processes (default: CPU cores)."),
})

MESSAGES.update({
    "help.fmt": (
        "Định dạng chuẩn các tệp YAML (NFC, thứ tự trường cố định, chữ Việt dễ đọc) để diff trong pull request gọn nhất.",
        "Write the YAML files canonically (NFC, fixed key order, readable Vietnamese) so pull-request diffs stay small.",
    ),
    "help.fmt.paths": ("Chỉ định dạng các tệp/thư mục này (mặc định: cả kho).", "Format only these files/folders (default: the whole repository)."),
    "help.fmt.check": ("Không sửa; liệt kê tệp cần định dạng và thoát với mã 1 nếu có.", "Change nothing; list files that would change and exit 1 if any."),
    "rule.exchange_id_prefix": ("Mã phiếu '{id}' nên bắt đầu bằng '{prefix}' (thư viện gửi - nhận) để CODEOWNERS giao phiếu cho đúng hai thư viện.", "Exchange id '{id}' should begin with '{prefix}' (sender-receiver) so CODEOWNERS gives it to both libraries."),
})
