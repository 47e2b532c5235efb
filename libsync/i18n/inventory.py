"""Messages of the stocktake commands (``libsync inventory …``) and their minutes."""

MESSAGES = {
    # --- reading scans -------------------------------------------------------------------
    "inventory.scan_empty": (
        "{path}: tệp quét không có mã vạch nào (tệp trống hoặc chỉ có dòng trống/ghi chú). Không ghi gì.",
        "{path}: the scan holds no barcode at all (empty, or only blank/comment lines). Nothing was written.",
    ),
    "inventory.scan_encoding": (
        "{path}, dòng {line}: byte {byte} không hợp lệ trong bảng mã {encoding}. Hãy lưu tệp dạng UTF-8 "
        "(Notepad: Lưu thành… → Mã hóa UTF-8) hoặc chỉ rõ bảng mã bằng --encoding (ví dụ cp1258, utf-16).",
        "{path}, line {line}: byte {byte} is not valid {encoding}. Save the file as UTF-8 "
        "or name its encoding with --encoding (e.g. cp1258, utf-16).",
    ),
    "inventory.scan_binary": (
        "{path}, dòng {line}: tệp có byte rỗng (NUL) — có thể là UTF-16 không có BOM hoặc không phải tệp văn bản. "
        "Hãy lưu lại dạng UTF-8 hoặc dùng --encoding utf-16-le.",
        "{path}, line {line}: the file holds NUL bytes — UTF-16 without a BOM, or not a text file. "
        "Save it as UTF-8 or pass --encoding utf-16-le.",
    ),
    "inventory.scan_bad_encoding_name": (
        "Bảng mã không hỗ trợ: {encoding} (dùng {choices}).",
        "Unsupported encoding: {encoding} (use {choices}).",
    ),
    "inventory.scan_bad_csv": (
        "{path}, dòng {line}: tệp CSV hỏng ({reason}) — thường do một dấu ngoặc kép (\") mở ra mà không đóng lại. Không ghi gì.",
        "{path}, line {line}: broken CSV file ({reason}) — most often a quotation mark (\") opened and never closed. Nothing was written.",
    ),
    "inventory.scan_bad_xlsx": (
        "{path}: không mở được tệp Excel (.xlsx): {reason}",
        "{path}: cannot open the Excel (.xlsx) file: {reason}",
    ),
    "inventory.scan_too_large": (
        "{path}: tệp quét quá lớn ({size} MB, tối đa {limit} MB).",
        "{path}: scan file too large ({size} MB, at most {limit} MB).",
    ),
    "inventory.scan_skipped": (
        "Bỏ qua dòng không phải mã vạch: «{text}»",
        "Skipped a line that is not a barcode: «{text}»",
    ),
    "inventory.scan_cleaned": (
        "Đã làm sạch «{text}» thành {barcode} (khoảng trắng, ký tự điều khiển hoặc tiền tố của máy quét)",
        "Cleaned «{text}» to {barcode} (spaces, control characters or scanner prefix)",
    ),
}

MESSAGES.update({
    # --- snapshots -----------------------------------------------------------------------
    "inventory.bad_date": ("Ngày không hợp lệ: {value} (dùng dạng NĂM-THÁNG-NGÀY, ví dụ 2024-10-01).",
                           "Invalid date: {value} (use YEAR-MONTH-DAY, e.g. 2024-10-01)."),
    "inventory.no_label": ("Cần một nhãn cho lần kiểm kê (--label), ví dụ \"Trước luân chuyển HK1\".",
                           "A stocktake needs a label (--label), e.g. \"Before the HK1 exchange\"."),
    "inventory.bad_id": ("Mã lần kiểm kê không hợp lệ: {id} (chỉ chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới).",
                         "Invalid snapshot id: {id} (letters without accents, digits, dot, dash, underscore only)."),
    "inventory.snapshot_exists": (
        "Đã có lần kiểm kê {id} ({path}); chọn nhãn, ngày hoặc --id khác. Không ghi gì.",
        "Snapshot {id} already exists ({path}); choose another label, date or --id. Nothing was written.",
    ),
    "inventory.invalid_snapshot": ("Dữ liệu kiểm kê không hợp lệ: {reason}. Không ghi gì.",
                                   "Invalid snapshot data: {reason}. Nothing was written."),
    "inventory.snapshot_invalid": ("{path}: tệp kiểm kê không hợp lệ: {reason}", "{path}: invalid snapshot: {reason}"),
    "inventory.snapshot_not_found": (
        "Không tìm thấy lần kiểm kê {ref}. Xem danh sách bằng `libsync inventory list`.",
        "Snapshot {ref} not found. List them with `libsync inventory list`.",
    ),
    "inventory.snapshot_ambiguous": ("Có nhiều lần kiểm kê tên {ref}: {paths}. Ghi rõ THƯ_VIỆN/{ref}.",
                                     "More than one snapshot named {ref}: {paths}. Write LIBRARY/{ref}."),
    "inventory.outside_repo": ("{path} nằm ngoài kho dữ liệu mạng.", "{path} is outside the network repository."),
    "inventory.different_libraries": (
        "Hai lần kiểm kê thuộc hai thư viện khác nhau ({before} và {after}); chỉ so sánh được kiểm kê của cùng một thư viện.",
        "The two snapshots belong to different libraries ({before} and {after}); only one library's snapshots can be compared.",
    ),
    "inventory.dates_order": (
        "Thứ tự ngày sai: lần trước {before} ({before_date}) muộn hơn lần sau {after} ({after_date}). Hãy đổi chỗ hai tham số.",
        "Dates in the wrong order: before {before} ({before_date}) is later than after {after} ({after_date}). Swap the arguments.",
    ),
    "inventory.catalog_library": (
        "Khi so với mục lục (catalog), cần biết thư viện: dùng --library MÃ hoặc so với một lần kiểm kê.",
        "To compare with the catalogue, name the library with --library CODE or compare with a snapshot.",
    ),
    "inventory.bad_fail_on": ("Loại không hợp lệ cho --fail-on: {value} (dùng: {choices}).",
                              "Invalid category for --fail-on: {value} (use: {choices})."),
    "inventory.recorded": (
        "Đã ghi lần kiểm kê {id} của {library}: {count} mã vạch ({unique} khác nhau) → {path} (bản quét gốc: {raw}).",
        "Recorded snapshot {id} of {library}: {count} barcodes ({unique} distinct) → {path} (raw scan: {raw}).",
    ),
    "inventory.warning_line": ("{path}, dòng {line}: {message}", "{path}, line {line}: {message}"),
    "inventory.minutes_written": ("Đã ghi biên bản kiểm kê: {path}", "Inventory minutes written: {path}"),
    "inventory.fail": ("Có mục thuộc loại: {categories}.", "Entries found in: {categories}."),
    "inventory.none": ("Chưa có lần kiểm kê nào.", "No snapshot yet."),

    # --- categories and reasons ------------------------------------------------------------
    "inventory.cat.present": ("Có cả hai lần", "Present in both"),
    "inventory.cat.missing": ("Mất (không rõ lý do)", "Missing (no explanation)"),
    "inventory.cat.explained": ("Vắng có lý do", "Explained absence"),
    "inventory.cat.returned": ("Trở về / mới", "Returned / new"),
    "inventory.cat.unknown": ("Không có trong biểu ghi nào", "Unknown (in no record)"),
    "inventory.cat.foreign": ("Của thư viện khác", "Another library's copy"),
    "inventory.cat.conflict": ("Mâu thuẫn trạng thái", "Status conflict"),
    "inventory.cat.twice": ("Quét hai lần", "Scanned twice"),
    "inventory.check.present": ("Có trên giá", "On the shelf"),
    "inventory.check.missing": ("Thiếu (mục lục nói phải có trên giá)", "Missing (the catalogue says on the shelf)"),
    "inventory.reason.exchange": ("gửi đi trong đợt luân chuyển {ref} ngày {date}", "dispatched in exchange {ref} on {date}"),
    "inventory.reason.exchange-lost": ("ghi mất trong đợt luân chuyển {ref}", "recorded lost in exchange {ref}"),
    "inventory.reason.exchange-returned": ("trả về từ đợt luân chuyển {ref} ngày {date}", "returned from exchange {ref} on {date}"),
    "inventory.reason.acquired": ("bổ sung mới ngày {date}", "newly acquired on {date}"),
    "inventory.reason.status-changed": ("trạng thái đổi thành có sẵn ngày {date} ({ref})", "status back to available on {date} ({ref})"),
    "inventory.reason.status": ("biểu ghi ghi «{status}» từ {date} ({ref})", "record says «{status}» since {date} ({ref})"),
    "inventory.reason.own": ("của thư viện, đang có sẵn", "own copy, available"),
    "inventory.reason.none": ("chưa rõ lý do — cần kiểm tra", "no explanation — to check"),
    "inventory.foreign.expected": ("đúng dự kiến: {why}", "expected: {why}"),
    "inventory.foreign.exchange": ("đến theo đợt luân chuyển {ref} ngày {date}", "came with exchange {ref} on {date}"),
    "inventory.foreign.unexpected": ("không có đợt luân chuyển nào mang đến — cần trả lại {owner}",
                                     "no exchange brought it — return it to {owner}"),
    "inventory.twice.where": ("quét {n} lần (vị trí {lines})", "scanned {n} times (positions {lines})"),
    "inventory.status.available": ("có sẵn", "available"),
    "inventory.status.on-loan": ("đang cho mượn", "on loan"),
    "inventory.status.in-transit": ("đang vận chuyển", "in transit"),
    "inventory.status.at-partner": ("đang ở thư viện bạn", "at a partner"),
    "inventory.status.lost": ("mất", "lost"),
    "inventory.status.damaged": ("hư hỏng", "damaged"),
    "inventory.status.withdrawn": ("thanh lý", "withdrawn"),

    # --- report headers ------------------------------------------------------------------
    "inventory.col.category": ("Loại", "Category"),
    "inventory.col.barcode": ("Số ĐKCB", "Barcode"),
    "inventory.col.title": ("Nhan đề", "Title"),
    "inventory.col.owner": ("Thư viện sở hữu", "Owner"),
    "inventory.col.note": ("Ghi chú", "Note"),
    "inventory.col.count": ("Số lượng", "Count"),
    "inventory.col.mark": ("M/C", "M/C"),
    "inventory.col.no": ("STT", "No."),
    "inventory.col.id": ("Mã", "Id"),
    "inventory.col.library": ("Thư viện", "Library"),
    "inventory.col.date": ("Ngày", "Date"),
    "inventory.col.label": ("Nhãn", "Label"),
    "inventory.col.barcodes": ("Mã vạch", "Barcodes"),
    "inventory.col.file": ("Tệp", "File"),
    "inventory.diff.title": ("So sánh kiểm kê {library}: {before} ({before_date}) → {after} ({after_date})",
                             "Stocktake comparison {library}: {before} ({before_date}) → {after} ({after_date})"),
    "inventory.check.title": ("Kiểm tra giá sách {library} ngày {date}: {count} mã vạch quét, {expected} bản mục lục nói có trên giá",
                              "Shelf check {library} on {date}: {count} barcodes scanned, {expected} copies the catalogue puts on the shelf"),
    "inventory.summary": ("Tổng hợp", "Summary"),
    "inventory.show.title": ("Lần kiểm kê {id} — {library} — {date}: {label}", "Snapshot {id} — {library} — {date}: {label}"),
    "inventory.show.count": ("{count} mã vạch ({unique} khác nhau), người kiểm kê: {taken_by}",
                             "{count} barcodes ({unique} distinct), taken by: {taken_by}"),
    "inventory.show.section": ("Khu vực {location}: {count} mã vạch", "Section {location}: {count} barcodes"),
    "inventory.unknown_person": ("(không ghi)", "(not recorded)"),
})

MESSAGES.update({
    # --- minutes (biên bản kiểm kê) ---------------------------------------------------------
    "inventory.minutes.title": ("BIÊN BẢN KIỂM KÊ TÀI LIỆU THƯ VIỆN", "LIBRARY INVENTORY MINUTES"),
    "inventory.minutes.period": ("Lần trước: {before} ({before_date}) — lần sau: {after} ({after_date})",
                                 "Before: {before} ({before_date}) — after: {after} ({after_date})"),
    "inventory.minutes.check_period": ("Kiểm tra giá sách so với mục lục ngày {date}",
                                       "Shelf check against the catalogue on {date}"),
    "inventory.minutes.opening": ("Hôm nay, ngày {date}, tại thư viện {library}, chúng tôi tiến hành kiểm kê tài liệu.",
                                  "Today, {date}, at the library of {library}, we carried out an inventory of the materials."),
    "inventory.minutes.purpose": (
        "Mục đích: đối chiếu tài liệu thực có trên giá với lần kiểm kê trước và với cơ sở dữ liệu biểu ghi, "
        "phiếu luân chuyển, để không tài liệu nào bị thất lạc mà không rõ lý do.",
        "Purpose: to compare the materials on the shelves with the previous stocktake, the records and the "
        "exchange manifests, so that nothing goes missing without a reason.",
    ),
    "inventory.minutes.section_summary": ("I. KẾT QUẢ TỔNG HỢP", "I. SUMMARY"),
    "inventory.minutes.section_detail": ("II. DANH SÁCH TÀI LIỆU CẦN LƯU Ý", "II. COPIES TO NOTE"),
    "inventory.minutes.total": ("Tổng cộng", "Total"),
    "inventory.minutes.nothing": ("Không có tài liệu nào cần lưu ý: mọi tài liệu đều còn trên giá.",
                                  "Nothing to note: every copy is on the shelf."),
    "inventory.minutes.marks": ("Ký hiệu: M — mất (không có trên giá khi kiểm kê); C — còn (có trên giá).",
                                "Marks: M — mất (not on the shelf); C — còn (on the shelf)."),
    "inventory.minutes.closing": (
        "Biên bản được lập thành 02 bản, thư viện giữ 01 bản, nộp Ban giám hiệu 01 bản.",
        "These minutes are made in 2 copies: one kept by the library, one for the school's management.",
    ),
    "inventory.minutes.sign_librarian": ("NGƯỜI KIỂM KÊ", "TAKEN BY"),
    "inventory.minutes.sign_principal": ("HIỆU TRƯỞNG", "PRINCIPAL"),
})

MESSAGES.update({
    # --- help ------------------------------------------------------------------------------
    "help.inventory": ("Kiểm kê: ghi lại bản quét mã vạch, so sánh trước/sau, đối chiếu giá sách với mục lục.",
                       "Stocktakes: record barcode scans, compare before/after, check shelves against the catalogue."),
    "help.inventory.record": (
        "Ghi một lần kiểm kê từ tệp quét (văn bản một mã vạch mỗi dòng, CSV hoặc Excel .xlsx) vào inventories/THƯ_VIỆN/.",
        "Record a stocktake from a scan file (text, one barcode per line; CSV; or Excel .xlsx) under inventories/LIB/.",
    ),
    "help.inventory.diff": (
        "So sánh hai lần kiểm kê (TRƯỚC, SAU: mã, THƯ_VIỆN/mã hoặc đường dẫn; hoặc 'catalog' = mục lục hiện tại); "
        "mỗi mã vạch vào đúng một loại.",
        "Compare two snapshots (BEFORE, AFTER: id, LIB/id or path; or 'catalog' = the catalogue now); "
        "every barcode lands in exactly one category.",
    ),
    "help.inventory.check": ("Đối chiếu một bản quét giá sách với những gì mục lục nói phải có trên giá hôm nay.",
                             "Compare a shelf scan with what the catalogue says should be on the shelf now."),
    "help.inventory.list": ("Liệt kê các lần kiểm kê đã ghi.", "List recorded snapshots."),
    "help.inventory.show": ("Xem một lần kiểm kê.", "Show one snapshot."),
    "help.inventory.scanfile": ("Tệp quét: .txt, .csv hoặc .xlsx.", "Scan file: .txt, .csv or .xlsx."),
    "help.inventory.label": ("Nhãn của lần kiểm kê, ví dụ \"Trước luân chuyển HK1\".", "Label, e.g. \"Before the HK1 exchange\"."),
    "help.inventory.date": ("Ngày kiểm kê (mặc định: hôm nay).", "Date of the stocktake (default: today)."),
    "help.inventory.location": ("Kho / khu vực đã kiểm kê.", "Store / area that was scanned."),
    "help.inventory.by": ("Người kiểm kê.", "Who took the stocktake."),
    "help.inventory.exchange": ("Mã đợt luân chuyển liên quan (nếu có).", "The exchange this stocktake belongs to, if any."),
    "help.inventory.id": ("Mã lần kiểm kê (mặc định: NGÀY-nhãn).", "Snapshot id (default: DATE-label)."),
    "help.inventory.encoding": (
        "Bảng mã của tệp quét văn bản/CSV, như ở 'import table': utf-8 (mặc định), utf-16, cp1258 (Windows-1258), "
        "tcvn3 (ABC), vni.",
        "Encoding of a text/CSV scan, as for 'import table': utf-8 (default), utf-16, cp1258 (Windows-1258), "
        "tcvn3 (ABC), vni.",
    ),
    "help.inventory.before": ("Lần kiểm kê trước (hoặc 'catalog').", "The earlier snapshot (or 'catalog')."),
    "help.inventory.after": ("Lần kiểm kê sau (hoặc 'catalog').", "The later snapshot (or 'catalog')."),
    "help.inventory.snapshot": ("Lần kiểm kê: mã, THƯ_VIỆN/mã hoặc đường dẫn.", "Snapshot: id, LIB/id or path."),
    "help.inventory.diff_library": ("Thư viện (cần khi so hai phía đều là 'catalog').", "Library (needed when comparing the catalogue)."),
    "help.inventory.catalog_date": ("Ngày dùng cho mục lục (mặc định: hôm nay).", "Date for the catalogue side (default: today)."),
    "help.inventory.minutes": ("Ghi biên bản kiểm kê ra tệp .docx, .md hoặc .html.", "Write inventory minutes to a .docx, .md or .html file."),
    "help.inventory.fail_on": (
        "Thoát với mã 1 nếu có mục thuộc các loại này, cách nhau bằng dấu phẩy (ví dụ missing,unknown).",
        "Exit 1 when any entry falls in these comma-separated categories (e.g. missing,unknown).",
    ),
    "help.inventory.no_cache": ("Không dùng bộ nhớ đệm biểu ghi (đọc lại mọi tệp).", "Do not use the record cache (read every file)."),
})
