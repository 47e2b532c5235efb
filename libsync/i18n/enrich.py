"""Messages of `libsync enrich` (copy cataloguing) and of the classification schemes."""

MESSAGES: dict[str, tuple[str, str]] = {
    # help
    "help.enrich": (
        "Biên mục sao chép: điền các trường còn trống của biểu ghi (chủ đề, từ khóa, phân loại, ký hiệu xếp giá, "
        "tác giả, nhà xuất bản, nơi xuất bản, năm, ISBN, số trang, tóm tắt) từ biểu ghi cùng cuốn sách của các thư viện "
        "bạn trong mục lục liên hợp. Mặc định chỉ chạy thử và cho xem từng trường sẽ điền.",
        "Copy cataloguing: fill a record's empty fields (subjects, keywords, classification, call number, authors, "
        "publisher, place, year, ISBN, pages, summary) from partner libraries' records of the same book in the "
        "union catalogue. By default a dry run showing each field that would be filled.",
    ),
    "help.enrich.library": ("Bổ sung mọi biểu ghi của thư viện này (mã, ví dụ XS).",
                            "Enrich every record of this library (its code, e.g. XS)."),
    "help.enrich.records": ("Chỉ bổ sung các biểu ghi này (THƯ_VIỆN/mã biểu ghi, có thể lặp lại).",
                            "Enrich only these records (LIB/record-id, repeatable)."),
    "help.enrich.from": ("Thêm một tệp MARC (ISO 2709 hoặc MARCXML) làm nguồn, ví dụ biểu ghi tải từ Thư viện Quốc gia.",
                         "Also use a MARC file (ISO 2709 or MARCXML) as a source, e.g. records from the National Library."),
    "help.enrich.overwrite": (
        "Cho phép thay giá trị đã có của trường này (có thể lặp lại): {fields}, hoặc classification.ddc, "
        "classification.bpl19 …",
        "Allow replacing this field's existing value (repeatable): {fields}, or classification.ddc, "
        "classification.bpl19 …",
    ),
    "help.enrich.apply": ("Ghi các thay đổi (tất cả hoặc không gì cả).", "Write the changes (all of them or none)."),
    "help.enrich.commit": ("Ghi các thay đổi và tạo một commit Git (kéo theo --apply).",
                           "Write the changes as one Git commit (implies --apply)."),
    "help.enrich.share": (
        "Biểu ghi nào nhờ lần bổ sung này mà đủ thông tin theo Điều 28 Nghị định 93/2020 thì được nâng lên mức chia "
        "sẻ theo chính sách của mạng (network.yaml).",
        "Records that this run makes complete under Decree 93/2020 Art. 28 are raised to the network's sharing "
        "policy level (network.yaml).",
    ),
    # errors
    "enrich.no_target": ("Hãy chọn biểu ghi cần bổ sung: --library MÃ hoặc --records THƯ_VIỆN/MÃ.",
                         "Say which records to enrich: --library CODE or --records LIB/ID."),
    "enrich.unknown_library": ("Không có thư viện '{library}' trong network.yaml (có: {known}).",
                               "No library '{library}' in network.yaml (known: {known})."),
    "enrich.no_record": ("Không tìm thấy biểu ghi '{record}' (viết THƯ_VIỆN/mã biểu ghi, ví dụ XS/xs-toan-6-t1).",
                         "No record '{record}' (write LIB/record-id, e.g. XS/xs-toan-6-t1)."),
    "enrich.bad_field": ("--overwrite {field}: không phải trường bổ sung được. Chọn một trong: {choices}, "
                         "hoặc classification.<khung> (classification.ddc …).",
                         "--overwrite {field}: not a field enrich fills. Choose one of: {choices}, "
                         "or classification.<scheme> (classification.ddc …)."),
    "enrich.from_unreadable": ("Không đọc được tệp nguồn {path}: {reason}", "Cannot read the source file {path}: {reason}"),
    "enrich.commit_message": (
        "Biên mục sao chép cho {libraries}: điền {fields} trường ở {records} biểu ghi từ thư viện bạn",
        "Copy cataloguing for {libraries}: {fields} fields filled in {records} records from partner libraries",
    ),
    # report
    "enrich.summary": (
        "Bổ sung biên mục — {libraries}: {records} biểu ghi, {with_sources} biểu ghi có nguồn; {fields} trường ở "
        "{changed} biểu ghi; {conflicts} xung đột.",
        "Copy cataloguing — {libraries}: {records} records, {with_sources} with a source; {fields} fields in "
        "{changed} records; {conflicts} conflicts.",
    ),
    "enrich.nothing": ("Không có trường trống nào bổ sung được.", "No empty field could be filled."),
    "enrich.col.record": ("Biểu ghi", "Record"),
    "enrich.col.field": ("Trường", "Field"),
    "enrich.col.new": ("Giá trị mới", "New value"),
    "enrich.col.old": ("Giá trị cũ", "Old value"),
    "enrich.col.value": ("Giá trị", "Value"),
    "enrich.col.from": ("Nguồn", "Source"),
    "enrich.conflicts": (
        "Xung đột — các nguồn ghi khác nhau nên trường được để nguyên; hãy tự chọn giá trị đúng:",
        "Conflicts — the sources disagree, so the field was left as it is; choose the right value yourself:",
    ),
    "enrich.held_back": (
        "Không ghi các biểu ghi sau vì sau khi bổ sung vẫn còn lỗi (hãy sửa lỗi trước):",
        "Not written, because they still have errors after enrichment (fix those first):",
    ),
    "enrich.promoted": ("Nâng mức chia sẻ (đã đủ thông tin theo Điều 28):",
                        "Sharing level raised (now complete under Art. 28):"),
    "enrich.still_lacking": ("Chưa nâng mức chia sẻ {count} biểu ghi vì còn thiếu thông tin:",
                             "{count} records stay at their sharing level because they still lack:"),
    "enrich.lacking_line": ("{record} (mức {share}): thiếu {fields}", "{record} ({share}): lacks {fields}"),
    "enrich.dry_run": ("Chạy thử: chưa ghi gì. Thêm --apply để ghi.", "Dry run: nothing was written. Add --apply to write."),
    "enrich.written": ("Đã ghi {count} tệp biểu ghi.", "Wrote {count} record files."),
    "enrich.committed": ("Đã tạo commit {sha}.", "Made commit {sha}."),
    "enrich.from_classification": ("khung phân loại", "classification"),
    # field names (text output)
    "enrich.field.subjects": ("chủ đề", "subjects"),
    "enrich.field.keywords": ("từ khóa", "keywords"),
    "enrich.field.classification": ("phân loại", "classification"),
    "enrich.field.call_number": ("ký hiệu xếp giá", "call number"),
    "enrich.field.authors": ("tác giả", "authors"),
    "enrich.field.publisher": ("nhà xuất bản", "publisher"),
    "enrich.field.place": ("nơi xuất bản", "place of publication"),
    "enrich.field.year": ("năm xuất bản", "year"),
    "enrich.field.isbn": ("ISBN", "ISBN"),
    "enrich.field.pages": ("số trang", "pages"),
    "enrich.field.summary": ("tóm tắt", "summary"),
    "enrich.field.title": ("nhan đề", "title"),
    # classification: validate hints, importers
    "hint.ddc": (" (số DDC gồm 3 chữ số, có thể có phần thập phân, ví dụ 895.9223)",
                 " (a DDC number is three digits with optional decimals, e.g. 895.9223)"),
    "hint.ddc_bpl19": (
        " — '{value}' là ký hiệu của Bảng phân loại 19 lớp, không phải số DDC: hãy ghi vào classification.bpl19",
        " — '{value}' is a code of the 19-class table, not a DDC number: put it under classification.bpl19",
    ),
    "interchange.col.bpl19": ("Môn loại (19 lớp)", "19-class"),
    "interchange.marc.bad_ddc": ("082 $a '{value}' không phải số DDC nên bị bỏ qua",
                                 "082 $a '{value}' is not a DDC number and was left out"),
    "help.enrich.verbose": ("Liệt kê mọi trường được bổ sung và mọi xung đột, không chỉ 30 dòng đầu.", "List every field filled and every conflict, not only the first 30."),
    "enrich.per_field": ("Theo trường: {fields}", "By field: {fields}"),
}
