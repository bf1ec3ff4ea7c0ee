"""Criteria sets of the Ninh Bình 2026 demo campaign, modelled on the national sets: 8 fields adding
up to 100, survey-only leaves worth 30. Each field: (code, title, appraiser, [criteria]); each criterion:
(title, [leaves]) with leaf = (title, points, "a" appraised | "s" survey, optional appraiser override,
optional coordinators). Used by tools/make_ninh_binh_2026.py."""

FIELDS_SO = [
    ("Công tác chỉ đạo, điều hành cải cách hành chính", "snv", [
        ("Kế hoạch cải cách hành chính năm", [
            ("Ban hành kế hoạch cải cách hành chính năm đúng thời hạn", 1.0, "a"),
            ("Mức độ thực hiện kế hoạch cải cách hành chính", 2.0, "a"),
        ]),
        ("Công tác kiểm tra, tuyên truyền cải cách hành chính", [
            ("Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc", 1.0, "a"),
            ("Thực hiện kế hoạch tuyên truyền cải cách hành chính", 1.0, "a"),
        ]),
        ("Đổi mới, sáng tạo trong triển khai nhiệm vụ cải cách hành chính", [
            ("Có sáng kiến, giải pháp mới được cấp có thẩm quyền công nhận", 2.0, "a", "skhcn"),
        ]),
        ("Đánh giá của cán bộ về công tác chỉ đạo, điều hành", [
            ("Mức độ quyết liệt của người đứng đầu trong chỉ đạo cải cách hành chính", 3.0, "s"),
        ]),
    ]),
    ("Cải cách thể chế", "stp", [
        ("Xây dựng, ban hành văn bản quy phạm pháp luật", [
            ("Tham mưu ban hành văn bản đúng thời hạn theo chương trình", 2.0, "a"),
            ("Thực hiện quy trình xây dựng văn bản theo quy định", 1.5, "a"),
        ]),
        ("Theo dõi thi hành và rà soát văn bản", [
            ("Rà soát, hệ thống hóa văn bản quy phạm pháp luật", 1.5, "a"),
            ("Xử lý văn bản sau rà soát", 2.0, "a"),
        ]),
        ("Đánh giá về chất lượng văn bản", [
            ("Tính khả thi, phù hợp thực tiễn của văn bản do đơn vị tham mưu", 3.0, "s"),
        ]),
    ]),
    ("Cải cách thủ tục hành chính", "vp-ubnd", [
        ("Kiểm soát thủ tục hành chính", [
            ("Công bố, công khai thủ tục hành chính đúng quy định", 1.5, "a"),
            ("Rà soát, đơn giản hóa thủ tục hành chính", 1.5, "a"),
        ]),
        ("Thực hiện cơ chế một cửa, một cửa liên thông", [
            ("Tỷ lệ hồ sơ giải quyết đúng hạn", 2.5, "a"),
            ("Xin lỗi người dân, tổ chức khi giải quyết hồ sơ quá hạn", 1.0, "a"),
            ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 2.5, "a"),
        ]),
        ("Sự hài lòng về giải quyết thủ tục hành chính", [
            ("Mức độ hài lòng của người dân, tổ chức", 5.0, "s"),
        ]),
    ]),
    ("Cải cách tổ chức bộ máy hành chính nhà nước", "snv", [
        ("Sắp xếp tổ chức bộ máy", [
            ("Thực hiện quy định về cơ cấu tổ chức của cơ quan", 2.0, "a"),
            ("Sắp xếp, kiện toàn các đơn vị trực thuộc", 2.0, "a"),
        ]),
        ("Quản lý biên chế", [
            ("Sử dụng biên chế được giao", 1.5, "a"),
            ("Thực hiện tinh giản biên chế", 1.5, "a"),
        ]),
        ("Đánh giá về tổ chức bộ máy", [
            ("Sự hợp lý trong phân công chức năng, nhiệm vụ", 3.0, "s"),
        ]),
    ]),
    ("Cải cách chế độ công vụ", "snv", [
        ("Vị trí việc làm và cơ cấu ngạch công chức", [
            ("Bố trí công chức theo vị trí việc làm được phê duyệt", 2.0, "a"),
            ("Thực hiện cơ cấu ngạch công chức", 1.0, "a"),
        ]),
        ("Tuyển dụng, đánh giá, đào tạo", [
            ("Tuyển dụng công chức, viên chức đúng quy định", 1.5, "a"),
            ("Đánh giá, xếp loại công chức theo kết quả thực hiện nhiệm vụ", 1.5, "a"),
            ("Đào tạo, bồi dưỡng theo kế hoạch", 1.0, "a"),
        ]),
        ("Kỷ luật, kỷ cương hành chính", [
            ("Chấp hành kỷ luật, kỷ cương hành chính", 3.0, "a"),
        ]),
        ("Đánh giá về đội ngũ công chức", [
            ("Tinh thần, thái độ phục vụ của công chức", 4.0, "s"),
        ]),
    ]),
    ("Cải cách tài chính công", "stc", [
        ("Quản lý, sử dụng ngân sách", [
            ("Tỷ lệ giải ngân vốn đầu tư công", 2.0, "a"),
            ("Thực hiện quy định về công khai ngân sách", 1.0, "a"),
        ]),
        ("Quản lý tài sản công", [
            ("Quản lý, sử dụng tài sản công đúng tiêu chuẩn, định mức", 1.5, "a"),
            ("Thực hiện cơ chế tự chủ của đơn vị sự nghiệp", 1.5, "a"),
        ]),
        ("Đánh giá về tài chính công", [
            ("Tính công khai, minh bạch trong sử dụng ngân sách", 3.0, "s"),
        ]),
    ]),
    ("Xây dựng, phát triển Chính quyền điện tử, Chính quyền số", "skhcn", [
        ("Hạ tầng số và nhân lực", [
            ("Hạ tầng kỹ thuật, an toàn thông tin mạng", 2.0, "a"),
            ("Nhân lực công nghệ thông tin", 1.0, "a"),
        ]),
        ("Ứng dụng trong nội bộ cơ quan", [
            ("Tỷ lệ xử lý văn bản, hồ sơ công việc trên môi trường mạng", 2.0, "a", None, ["vp-ubnd"]),
            ("Sử dụng chữ ký số trong văn bản điện tử", 2.0, "a"),
        ]),
        ("Dịch vụ công trực tuyến", [
            ("Tỷ lệ hồ sơ trực tuyến toàn trình", 2.0, "a"),
            ("Tỷ lệ thanh toán trực tuyến", 2.0, "a"),
        ]),
        ("Đánh giá về chính quyền số", [
            ("Sự thuận tiện khi sử dụng dịch vụ công trực tuyến", 4.0, "s"),
        ]),
    ]),
    ("Thực hiện nhiệm vụ được giao", "vp-ubnd", [
        ("Thực hiện nhiệm vụ Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao", [
            ("Tỷ lệ nhiệm vụ hoàn thành đúng hạn", 5.0, "a"),
            ("Chất lượng tham mưu thực hiện nhiệm vụ", 4.0, "a"),
            ("Không có nhiệm vụ quá hạn chưa hoàn thành", 3.0, "a"),
        ]),
        ("Áp dụng Hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015", [
            ("Duy trì, cải tiến Hệ thống quản lý chất lượng", 1.0, "a", "skhcn"),
        ]),
        ("Đánh giá về kết quả thực hiện nhiệm vụ", [
            ("Chất lượng, hiệu quả phối hợp công tác", 5.0, "s"),
        ]),
    ]),
]

FIELDS_XA = [
    ("Công tác chỉ đạo, điều hành cải cách hành chính", "snv", [
        ("Kế hoạch và kiểm tra cải cách hành chính", [
            ("Ban hành kế hoạch cải cách hành chính năm đúng thời hạn", 1.0, "a"),
            ("Mức độ thực hiện kế hoạch cải cách hành chính", 3.0, "a"),
            ("Kiểm tra, tuyên truyền cải cách hành chính", 1.5, "a"),
        ]),
        ("Đổi mới, sáng tạo", [
            ("Có sáng kiến cải cách hành chính được công nhận", 1.5, "a", "skhcn"),
        ]),
        ("Đánh giá về công tác chỉ đạo, điều hành", [
            ("Vai trò của người đứng đầu Ủy ban nhân dân cấp xã", 3.0, "s"),
        ]),
    ]),
    ("Cải cách thể chế", "stp", [
        ("Xây dựng và thực thi văn bản", [
            ("Ban hành văn bản quy phạm pháp luật của cấp xã đúng quy định", 3.0, "a"),
            ("Tự kiểm tra, rà soát văn bản", 1.5, "a"),
            ("Phổ biến, giáo dục pháp luật", 2.5, "a"),
        ]),
        ("Đánh giá về thực thi pháp luật", [
            ("Tính nghiêm minh trong thực thi pháp luật tại địa phương", 3.0, "s"),
        ]),
    ]),
    ("Cải cách thủ tục hành chính", "vp-ubnd", [
        ("Công khai và giải quyết thủ tục hành chính", [
            ("Công khai thủ tục hành chính tại Bộ phận Một cửa", 1.5, "a"),
            ("Tỷ lệ hồ sơ giải quyết đúng hạn", 4.0, "a"),
            ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 3.5, "a"),
        ]),
        ("Sự hài lòng về giải quyết thủ tục hành chính", [
            ("Mức độ hài lòng của người dân, tổ chức", 5.0, "s"),
        ]),
    ]),
    ("Cải cách tổ chức bộ máy hành chính nhà nước", "snv", [
        ("Tổ chức bộ máy và biên chế", [
            ("Thực hiện quy định về tổ chức các cơ quan chuyên môn cấp xã", 2.0, "a"),
            ("Sử dụng biên chế được giao", 2.0, "a"),
            ("Thực hiện tinh giản biên chế", 1.5, "a"),
            ("Sắp xếp thôn, tổ dân phố", 1.5, "a"),
        ]),
        ("Đánh giá về tổ chức bộ máy", [
            ("Sự hợp lý trong phân công nhiệm vụ cán bộ, công chức cấp xã", 3.0, "s"),
        ]),
    ]),
    ("Cải cách chế độ công vụ", "snv", [
        ("Quản lý cán bộ, công chức", [
            ("Bố trí công chức theo vị trí việc làm", 3.0, "a"),
            ("Đánh giá, xếp loại cán bộ, công chức", 3.0, "a"),
            ("Chấp hành kỷ luật, kỷ cương hành chính", 3.0, "a"),
        ]),
        ("Đánh giá về đội ngũ cán bộ, công chức", [
            ("Tinh thần, thái độ phục vụ của cán bộ, công chức cấp xã", 4.0, "s"),
        ]),
    ]),
    ("Cải cách tài chính công", "stc", [
        ("Quản lý ngân sách và tài sản", [
            ("Công khai dự toán, quyết toán ngân sách xã", 2.5, "a"),
            ("Quản lý, sử dụng tài sản công", 1.5, "a"),
            ("Huy động và sử dụng các nguồn đóng góp của nhân dân", 2.0, "a"),
        ]),
        ("Đánh giá về tài chính công", [
            ("Tính công khai, minh bạch trong thu, chi ngân sách xã", 3.0, "s"),
        ]),
    ]),
    ("Xây dựng, phát triển Chính quyền điện tử, Chính quyền số", "skhcn", [
        ("Ứng dụng công nghệ số", [
            ("Xử lý văn bản, hồ sơ công việc trên môi trường mạng", 3.5, "a", None, ["vp-ubnd"]),
            ("Tỷ lệ hồ sơ trực tuyến toàn trình", 3.5, "a"),
            ("Hỗ trợ người dân sử dụng dịch vụ công trực tuyến", 3.0, "a"),
        ]),
        ("Đánh giá về chính quyền số", [
            ("Sự thuận tiện khi sử dụng dịch vụ công trực tuyến", 4.0, "s"),
        ]),
    ]),
    ("Tác động của cải cách hành chính đến người dân và phát triển kinh tế - xã hội", "snv", [
        ("Kết quả phát triển kinh tế - xã hội", [
            ("Thực hiện các chỉ tiêu kinh tế - xã hội được giao", 6.0, "a", "stc"),
            ("Giải quyết phản ánh, kiến nghị của người dân", 4.0, "a", "vp-ubnd"),
            ("Xây dựng nông thôn mới, đô thị văn minh", 4.0, "a"),
        ]),
        ("Áp dụng Hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015", [
            ("Duy trì, cải tiến Hệ thống quản lý chất lượng", 1.0, "a", "skhcn"),
        ]),
        ("Đánh giá của người dân về tác động", [
            ("Mức độ cải thiện môi trường sống, làm việc tại địa phương", 5.0, "s"),
        ]),
    ]),
]


def criteria_set(set_id, group, name, fields, respondents):
    out = []
    for f_index, (title, appraiser, criteria) in enumerate(fields, start=1):
        children = []
        for c_index, (c_title, leaves) in enumerate(criteria, start=1):
            leaf_nodes = []
            for l_index, leaf in enumerate(leaves, start=1):
                l_title, points, kind = leaf[:3]
                shown = f"{points:g}".replace(".", ",")          # decimal comma: "1,5 điểm", never "1.5"
                node = {"code": f"{f_index}.{c_index}.{l_index}", "title": l_title, "max_points": points}
                if kind == "s":
                    node.update(scoring="survey", survey_groups=[g["id"] for g in respondents],
                                rule=f"Điểm = trung bình cộng giá trị trả lời hợp lệ ÷ 4 × {shown} điểm.")
                else:
                    node.update(rule=f"Hoàn thành đầy đủ, đúng hạn: {shown} điểm; hoàn thành một phần: "
                                     "tính theo tỷ lệ hoàn thành; không thực hiện: 0 điểm.",
                                evidence="Văn bản, báo cáo, số liệu chứng minh kết quả thực hiện trong năm đánh giá.")
                    if len(leaf) > 3 and leaf[3]:
                        node["appraiser"] = leaf[3]
                    if len(leaf) > 4:
                        node["coordinators"] = leaf[4]
                leaf_nodes.append(node)
            children.append({"code": f"{f_index}.{c_index}", "title": c_title,
                             "max_points": sum(n["max_points"] for n in leaf_nodes), "children": leaf_nodes})
        out.append({"code": str(f_index), "title": title, "appraiser": appraiser,
                    "max_points": sum(c["max_points"] for c in children), "children": children})
    return {
        "id": set_id, "group": group, "name": name, "total": 100, "fields": out,
        "adjustments": [
            {"code": "T1", "title": "Được cấp có thẩm quyền khen thưởng về thành tích cải cách hành chính",
             "kind": "bonus", "max_points": 1, "appraiser": "snv"},
            {"code": "T2", "title": "Mô hình, sáng kiến cải cách hành chính được nhân rộng trong tỉnh",
             "kind": "bonus", "max_points": 1, "appraiser": "skhcn"},
            {"code": "TR1", "title": "Để xảy ra sai phạm trong giải quyết thủ tục hành chính bị cơ quan có thẩm quyền kết luận",
             "kind": "deduction", "max_points": 2, "appraiser": "vp-ubnd"},
            {"code": "TR2", "title": "Cán bộ, công chức, viên chức bị kỷ luật từ mức cảnh cáo trở lên",
             "kind": "deduction", "max_points": 2, "appraiser": "snv"},
        ],
        "bonus_cap": 2, "deduction_cap": 3,
        "survey_scale": {"options": [{"label": "Rất không hài lòng", "value": 1}, {"label": "Không hài lòng", "value": 2},
                                     {"label": "Hài lòng", "value": 3}, {"label": "Rất hài lòng", "value": 4}]},
        "respondent_groups": respondents,
    }


RESPONDENTS_SO = [{"id": "lanh-dao-phong", "name": "Lãnh đạo phòng, đơn vị thuộc sở"},
                  {"id": "lanh-dao-xa", "name": "Lãnh đạo Ủy ban nhân dân cấp xã"},
                  {"id": "nguoi-dan", "name": "Người dân, tổ chức"}]
RESPONDENTS_XA = [{"id": "cong-chuc-xa", "name": "Công chức cấp xã"},
                  {"id": "nguoi-dan", "name": "Người dân, tổ chức"}]

